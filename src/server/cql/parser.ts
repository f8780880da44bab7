import type {
  AlterTableStatement,
  Assignment,
  BatchStatement,
  ColumnDefinitionAst,
  CreateKeyspaceStatement,
  CreateTableStatement,
  CreateTypeStatement,
  DeleteStatement,
  InsertStatement,
  ModificationStatement,
  ParsedStatement,
  Selector,
  SelectStatement,
  Statement,
  Term,
  TypeExpr,
  UpdateStatement,
} from './ast.js';
import { TermParser } from './term-parser.js';

/**
 * Parses one CQL statement of the subset the embedded server supports (docs/embedded-server.md,
 * "The CQL it understands") into a `ParsedStatement`. Anything else throws `CqlSyntaxError` shaped
 * like Cassandra's messages.
 */
export function parseStatement(query: string): ParsedStatement {
  return new StatementParser(query).parse();
}

class StatementParser extends TermParser {
  parse(): ParsedStatement {
    const statement = this.statement();
    this.expectEnd();
    return { statement, bindCount: this.bindNames.length, bindNames: this.bindNames };
  }

  private statement(): Statement {
    const t = this.peek();
    const w = t.kind === 'ident' ? t.text.toLowerCase() : '';
    switch (w) {
      case 'select':
        return this.select();
      case 'insert':
        return this.insert();
      case 'update':
        return this.update();
      case 'delete':
        return this.delete();
      case 'begin':
        return this.batch();
      case 'use':
        this.pos++;
        return { type: 'use', keyspace: this.identifier() };
      case 'truncate':
        this.pos++;
        this.acceptKeyword('table');
        return { type: 'truncate', table: this.qualifiedName() };
      case 'create':
        return this.create();
      case 'drop':
        return this.drop();
      case 'alter':
        return this.alter();
      default:
        throw this.errors.noViableAlternative(t);
    }
  }

  private ifNotExists(): boolean {
    if (!this.acceptKeyword('if')) return false;
    this.expectKeyword('not');
    this.expectKeyword('exists');
    return true;
  }

  private ifExists(): boolean {
    if (!this.acceptKeyword('if')) return false;
    this.expectKeyword('exists');
    return true;
  }

  // ---- DDL ----

  private create(): Statement {
    this.expectKeyword('create');
    if (this.acceptKeyword('keyspace') || this.acceptKeyword('schema')) return this.createKeyspace();
    if (this.acceptKeyword('table') || this.acceptKeyword('columnfamily')) return this.createTable();
    if (this.acceptKeyword('type')) return this.createType();
    throw this.errors.noViableAlternative(this.peek());
  }

  private createKeyspace(): CreateKeyspaceStatement {
    const ifNotExists = this.ifNotExists();
    const keyspace = this.identifier();
    let replication = new Map<string, string>();
    let durableWrites = true;
    this.expectKeyword('with');
    do {
      const name = this.identifier();
      this.expectSymbol('=');
      const value = this.term();
      if (name === 'replication') replication = this.optionMap(value);
      else if (name === 'durable_writes')
        durableWrites =
          value.kind === 'boolean'
            ? value.value
            : value.kind === 'string'
              ? value.value.toLowerCase() === 'true'
              : true;
    } while (this.acceptKeyword('and'));
    return { type: 'create_keyspace', keyspace, ifNotExists, replication, durableWrites };
  }

  /** A `{'k': 'v', ...}` option literal as a string map (numbers keep their text). */
  private optionMap(value: Term): Map<string, string> {
    const out = new Map<string, string>();
    if (value.kind === 'map') {
      for (const [k, v] of value.entries) out.set(termText(k), termText(v));
    }
    return out;
  }

  private createTable(): CreateTableStatement {
    const ifNotExists = this.ifNotExists();
    const table = this.qualifiedName();
    this.expectSymbol('(');
    const columns: ColumnDefinitionAst[] = [];
    let partitionKey: string[] = [];
    let clustering: string[] = [];
    do {
      if (this.acceptKeyword('primary')) {
        this.expectKeyword('key');
        this.expectSymbol('(');
        if (this.acceptSymbol('(')) {
          partitionKey = [this.identifier()];
          while (this.acceptSymbol(',')) partitionKey.push(this.identifier());
          this.expectSymbol(')');
        } else {
          partitionKey = [this.identifier()];
        }
        clustering = [];
        while (this.acceptSymbol(',')) clustering.push(this.identifier());
        this.expectSymbol(')');
        continue;
      }
      if (this.isSymbol(')')) break; // tolerate a trailing comma as Cassandra's grammar does not, but harmless
      const name = this.identifier();
      const type = this.typeExpr();
      const isStatic = this.acceptKeyword('static');
      if (this.acceptKeyword('primary')) {
        this.expectKeyword('key');
        partitionKey = [name];
      }
      columns.push({ name, type, isStatic });
    } while (this.acceptSymbol(','));
    this.expectSymbol(')');
    const clusteringOrder: { column: string; descending: boolean }[] = [];
    const options = new Map<string, string>();
    if (this.acceptKeyword('with')) {
      do {
        if (this.acceptKeyword('clustering')) {
          this.expectKeyword('order');
          this.expectKeyword('by');
          this.expectSymbol('(');
          do {
            const column = this.identifier();
            let descending = false;
            if (this.acceptKeyword('desc')) descending = true;
            else this.acceptKeyword('asc');
            clusteringOrder.push({ column, descending });
          } while (this.acceptSymbol(','));
          this.expectSymbol(')');
        } else if (this.acceptKeyword('compact')) {
          this.expectKeyword('storage');
        } else {
          const name = this.identifier();
          this.expectSymbol('=');
          options.set(name, termText(this.term()));
        }
      } while (this.acceptKeyword('and'));
    }
    return { type: 'create_table', table, ifNotExists, columns, partitionKey, clustering, clusteringOrder, options };
  }

  private createType(): CreateTypeStatement {
    const ifNotExists = this.ifNotExists();
    const name = this.qualifiedName();
    this.expectSymbol('(');
    const fields: { name: string; type: TypeExpr }[] = [];
    do {
      const field = this.identifier();
      fields.push({ name: field, type: this.typeExpr() });
    } while (this.acceptSymbol(','));
    this.expectSymbol(')');
    return { type: 'create_type', name, ifNotExists, fields };
  }

  private drop(): Statement {
    this.expectKeyword('drop');
    if (this.acceptKeyword('keyspace') || this.acceptKeyword('schema')) {
      const ifExists = this.ifExists();
      return { type: 'drop_keyspace', keyspace: this.identifier(), ifExists };
    }
    if (this.acceptKeyword('table') || this.acceptKeyword('columnfamily')) {
      const ifExists = this.ifExists();
      return { type: 'drop_table', table: this.qualifiedName(), ifExists };
    }
    if (this.acceptKeyword('type')) {
      const ifExists = this.ifExists();
      return { type: 'drop_type', name: this.qualifiedName(), ifExists };
    }
    throw this.errors.noViableAlternative(this.peek());
  }

  private alter(): AlterTableStatement {
    this.expectKeyword('alter');
    if (!this.acceptKeyword('table')) this.expectKeyword('columnfamily');
    const table = this.qualifiedName();
    if (this.acceptKeyword('add')) {
      const add: ColumnDefinitionAst[] = [];
      const paren = this.acceptSymbol('(');
      do {
        const name = this.identifier();
        const type = this.typeExpr();
        add.push({ name, type, isStatic: this.acceptKeyword('static') });
      } while (paren && this.acceptSymbol(','));
      if (paren) this.expectSymbol(')');
      return { type: 'alter_table', table, add, drop: [] };
    }
    if (this.acceptKeyword('drop')) {
      const drop: string[] = [];
      const paren = this.acceptSymbol('(');
      do drop.push(this.identifier());
      while (paren && this.acceptSymbol(','));
      if (paren) this.expectSymbol(')');
      return { type: 'alter_table', table, add: [], drop };
    }
    throw this.errors.noViableAlternative(this.peek());
  }

  // ---- DML ----

  private select(): SelectStatement {
    this.expectKeyword('select');
    const json = this.acceptKeyword('json');
    const distinct = this.acceptKeyword('distinct');
    let selectors: Selector[] | undefined;
    if (!this.acceptSymbol('*')) {
      selectors = [this.selector()];
      while (this.acceptSymbol(',')) selectors.push(this.selector());
    }
    this.expectKeyword('from');
    const table = this.qualifiedName();
    const where = this.acceptKeyword('where') ? this.whereClause() : [];
    const orderBy: { column: string; descending: boolean }[] = [];
    if (this.acceptKeyword('order')) {
      this.expectKeyword('by');
      do {
        const column = this.identifier();
        let descending = false;
        if (this.acceptKeyword('desc')) descending = true;
        else this.acceptKeyword('asc');
        orderBy.push({ column, descending });
      } while (this.acceptSymbol(','));
    }
    let perPartitionLimit: Term | undefined;
    let limit: Term | undefined;
    if (this.acceptKeyword('per')) {
      this.expectKeyword('partition');
      this.expectKeyword('limit');
      perPartitionLimit = this.limitTerm();
    }
    if (this.acceptKeyword('limit')) limit = this.limitTerm();
    let allowFiltering = false;
    if (this.acceptKeyword('allow')) {
      this.expectKeyword('filtering');
      allowFiltering = true;
    }
    return {
      type: 'select',
      table,
      json,
      distinct,
      selectors,
      where,
      orderBy,
      perPartitionLimit,
      limit,
      allowFiltering,
    };
  }

  private limitTerm(): Term {
    const marker = this.bindMarker();
    if (marker) return marker;
    const t = this.peek();
    if (t.kind !== 'integer') throw this.fail(t);
    this.pos++;
    return { kind: 'integer', text: t.text };
  }

  private selector(): Selector {
    let sel: Selector;
    if (this.isKeyword('count') && this.isSymbol('(', 1)) {
      const start = this.peek().start;
      this.pos += 2;
      const arg = this.peek();
      if (!(arg.kind === 'symbol' && arg.text === '*') && !(arg.kind === 'integer' && arg.text === '1')) {
        // count(column) counts non-null values; treated like count(*) on this subset.
        this.identifier();
      } else {
        this.pos++;
      }
      this.expectSymbol(')');
      sel = { kind: 'count', text: this.query.slice(start, this.peek(-1).end), alias: undefined };
    } else if (this.isKeyword('token') && this.isSymbol('(', 1)) {
      this.pos += 2;
      const columns = [this.identifier()];
      while (this.acceptSymbol(',')) columns.push(this.identifier());
      this.expectSymbol(')');
      sel = { kind: 'token', columns, alias: undefined };
    } else if ((this.isKeyword('writetime') || this.isKeyword('ttl')) && this.isSymbol('(', 1)) {
      const kind = this.next().text.toLowerCase() as 'writetime' | 'ttl';
      this.pos++;
      const column = this.identifier();
      this.expectSymbol(')');
      sel = { kind, column, alias: undefined };
    } else {
      sel = { kind: 'column', name: this.identifier(), alias: undefined };
    }
    if (this.acceptKeyword('as')) return { ...sel, alias: this.identifier() };
    return sel;
  }

  private insert(): InsertStatement {
    this.expectKeyword('insert');
    this.expectKeyword('into');
    const table = this.qualifiedName();
    this.expectSymbol('(');
    const columns = [this.identifier()];
    while (this.acceptSymbol(',')) columns.push(this.identifier());
    this.expectSymbol(')');
    this.expectKeyword('values');
    this.expectSymbol('(');
    const values = [this.term()];
    while (this.acceptSymbol(',')) values.push(this.term());
    this.expectSymbol(')');
    const ifNotExists = this.ifNotExists();
    const using = this.usingClause();
    return { type: 'insert', table, columns, values, ifNotExists, using };
  }

  private update(): UpdateStatement {
    this.expectKeyword('update');
    const table = this.qualifiedName();
    const using = this.usingClause();
    this.expectKeyword('set');
    const assignments = [this.assignment()];
    while (this.acceptSymbol(',')) assignments.push(this.assignment());
    this.expectKeyword('where');
    const where = this.whereClause();
    const ifExists = this.ifExists();
    return { type: 'update', table, using, assignments, where, ifExists };
  }

  /** `c = t`, `c = c + t`, `c = c - t`, `c = t + c` (list prepend), `c += t`, `c[k] = t`. */
  private assignment(): Assignment {
    const column = this.identifier();
    let element: Term | undefined;
    if (this.acceptSymbol('[')) {
      element = this.term();
      this.expectSymbol(']');
    }
    if (this.acceptSymbol('+')) {
      this.expectSymbol('=');
      return { column, op: 'add', term: this.term(), element };
    }
    if (this.isSymbol('-') && this.isSymbol('=', 1)) {
      this.pos += 2;
      return { column, op: 'subtract', term: this.term(), element };
    }
    this.expectSymbol('=');
    if (this.isIdentifier() && !this.isSymbol('(', 1)) {
      const save = this.pos;
      const other = this.identifier();
      if (other === column && (this.isSymbol('+') || this.isSymbol('-'))) {
        const op = this.next().text === '+' ? 'add' : 'subtract';
        return { column, op, term: this.term(), element };
      }
      this.pos = save;
    }
    const term = this.term();
    if (this.acceptSymbol('+')) {
      const other = this.identifier();
      if (other !== column) throw this.errors.custom(`Only expressions of the form X = <value> + X are supported.`);
      return { column, op: 'prepend', term, element };
    }
    return { column, op: 'set', term, element };
  }

  private delete(): DeleteStatement {
    this.expectKeyword('delete');
    const columns: string[] = [];
    if (!this.isKeyword('from')) {
      columns.push(this.identifier());
      while (this.acceptSymbol(',')) columns.push(this.identifier());
    }
    this.expectKeyword('from');
    const table = this.qualifiedName();
    const using = this.usingClause();
    this.expectKeyword('where');
    const where = this.whereClause();
    const ifExists = this.ifExists();
    return { type: 'delete', table, columns, using, where, ifExists };
  }

  private batch(): BatchStatement {
    this.expectKeyword('begin');
    let batchType: BatchStatement['batchType'] = 'logged';
    if (this.acceptKeyword('unlogged')) batchType = 'unlogged';
    else if (this.acceptKeyword('counter')) batchType = 'counter';
    this.expectKeyword('batch');
    const using = this.usingClause();
    const statements: ModificationStatement[] = [];
    while (!this.isKeyword('apply')) {
      const t = this.peek();
      const w = t.kind === 'ident' ? t.text.toLowerCase() : '';
      if (w === 'insert') statements.push(this.insert());
      else if (w === 'update') statements.push(this.update());
      else if (w === 'delete') statements.push(this.delete());
      else if (t.kind === 'eof') throw this.errors.mismatched(t, 'K_APPLY');
      else throw this.errors.noViableAlternative(t);
      this.acceptSymbol(';');
    }
    this.expectKeyword('apply');
    this.expectKeyword('batch');
    return { type: 'batch', batchType, using, statements };
  }
}

/** The text of an option value as system_schema would show it. */
function termText(t: Term): string {
  switch (t.kind) {
    case 'string':
      return t.value;
    case 'integer':
    case 'float':
    case 'uuid':
    case 'hex':
    case 'duration':
      return t.text;
    case 'boolean':
      return String(t.value);
    default:
      return '';
  }
}
