import type { Relation, RelationOp, Term, TypeExpr, UsingClause } from './ast.js';
import { TokenCursor } from './token-cursor.js';

const NATIVE_TYPES = new Set([
  'ascii',
  'bigint',
  'blob',
  'boolean',
  'counter',
  'decimal',
  'double',
  'duration',
  'float',
  'inet',
  'int',
  'smallint',
  'text',
  'timestamp',
  'timeuuid',
  'tinyint',
  'uuid',
  'varchar',
  'varint',
  'date',
  'time',
]);

/** Types, terms (literals, markers, collections), relations and USING clauses. */
export class TermParser extends TokenCursor {
  /** Bind marker names by variable index (undefined for `?`). */
  protected readonly bindNames: (string | undefined)[] = [];

  protected bindMarker(): Term | undefined {
    const t = this.peek();
    if (t.kind === 'marker') {
      this.pos++;
      this.bindNames.push(undefined);
      return { kind: 'bind', index: this.bindNames.length - 1, name: undefined };
    }
    if (t.kind === 'named_marker') {
      this.pos++;
      const name = t.text.toLowerCase() === t.text ? t.text : t.text;
      this.bindNames.push(name);
      return { kind: 'bind', index: this.bindNames.length - 1, name };
    }
    return undefined;
  }

  /** A CQL type: native, collections (optionally frozen), tuple, vector, UDT reference, 'custom'. */
  protected typeExpr(frozen = false): TypeExpr {
    const t = this.peek();
    if (t.kind === 'string') {
      this.pos++;
      return { kind: 'custom', className: t.text };
    }
    if (t.kind !== 'ident' && t.kind !== 'quoted') throw this.fail(t);
    const word = t.kind === 'ident' ? t.text.toLowerCase() : t.text;
    if (t.kind === 'ident') {
      if (word === 'frozen' && this.isSymbol('<', 1)) {
        this.pos += 2;
        const inner = this.typeExpr(true);
        this.expectSymbol('>');
        return inner;
      }
      if ((word === 'list' || word === 'set') && this.isSymbol('<', 1)) {
        this.pos += 2;
        const element = this.typeExpr();
        this.expectSymbol('>');
        return { kind: word, element, frozen };
      }
      if (word === 'map' && this.isSymbol('<', 1)) {
        this.pos += 2;
        const key = this.typeExpr();
        this.expectSymbol(',');
        const value = this.typeExpr();
        this.expectSymbol('>');
        return { kind: 'map', key, value, frozen };
      }
      if (word === 'tuple' && this.isSymbol('<', 1)) {
        this.pos += 2;
        const elements = [this.typeExpr()];
        while (this.acceptSymbol(',')) elements.push(this.typeExpr());
        this.expectSymbol('>');
        return { kind: 'tuple', elements };
      }
      if (word === 'vector' && this.isSymbol('<', 1)) {
        this.pos += 2;
        const element = this.typeExpr();
        this.expectSymbol(',');
        const dim = this.peek();
        if (dim.kind !== 'integer') throw this.errors.mismatched(dim, 'INTEGER');
        this.pos++;
        this.expectSymbol('>');
        return { kind: 'vector', element, dimension: Number(dim.text) };
      }
      if (NATIVE_TYPES.has(word)) {
        this.pos++;
        return { kind: 'native', name: word === 'varchar' ? 'text' : word };
      }
    }
    const name = this.qualifiedName();
    return { kind: 'udt', keyspace: name.keyspace, name: name.name, frozen };
  }

  /** A term: literal, bind marker, collection/tuple/UDT literal, function call, negative number. */
  protected term(): Term {
    const marker = this.bindMarker();
    if (marker) return marker;
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.pos++;
        return { kind: 'string', value: t.text };
      case 'integer':
      case 'float':
      case 'uuid':
      case 'hex':
      case 'duration':
        this.pos++;
        return { kind: t.kind, text: t.text };
      case 'symbol':
        if (t.text === '[') return this.listLiteral();
        if (t.text === '{') return this.braceLiteral();
        if (t.text === '(') return this.tupleLiteral();
        if (t.text === '-') {
          const n = this.peek(1);
          if (n.kind === 'integer' || n.kind === 'float') {
            this.pos += 2;
            return { kind: n.kind, text: n.text.startsWith('-') ? n.text.slice(1) : '-' + n.text };
          }
        }
        throw this.fail(t);
      case 'ident': {
        const w = t.text.toLowerCase();
        if (w === 'true' || w === 'false') {
          this.pos++;
          return { kind: 'boolean', value: w === 'true' };
        }
        if (w === 'null') {
          this.pos++;
          return { kind: 'null' };
        }
        if (this.isSymbol('(', 1) && !['select', 'from', 'where'].includes(w)) {
          this.pos += 2;
          const args: Term[] = [];
          if (!this.isSymbol(')')) {
            args.push(this.term());
            while (this.acceptSymbol(',')) args.push(this.term());
          }
          this.expectSymbol(')');
          return { kind: 'call', name: w, args };
        }
        throw this.fail(t);
      }
      default:
        throw this.fail(t);
    }
  }

  private listLiteral(): Term {
    this.expectSymbol('[');
    const items: Term[] = [];
    if (!this.isSymbol(']')) {
      items.push(this.term());
      while (this.acceptSymbol(',')) items.push(this.term());
    }
    this.expectSymbol(']');
    return { kind: 'list', items };
  }

  /** `{}` (empty map/set), `{a, b}` (set), `{k: v}` (map) or `{field: v}` (UDT, when keys are identifiers). */
  private braceLiteral(): Term {
    this.expectSymbol('{');
    if (this.acceptSymbol('}')) return { kind: 'map', entries: [] };
    if (this.isIdentifier() && this.isSymbol(':', 1) && this.peek().kind !== 'string') {
      const fields: [string, Term][] = [];
      do {
        const name = this.identifier();
        this.expectSymbol(':');
        fields.push([name, this.term()]);
      } while (this.acceptSymbol(','));
      this.expectSymbol('}');
      return { kind: 'udt', fields };
    }
    const first = this.term();
    if (this.acceptSymbol(':')) {
      const entries: [Term, Term][] = [[first, this.term()]];
      while (this.acceptSymbol(',')) {
        const k = this.term();
        this.expectSymbol(':');
        entries.push([k, this.term()]);
      }
      this.expectSymbol('}');
      return { kind: 'map', entries };
    }
    const items = [first];
    while (this.acceptSymbol(',')) items.push(this.term());
    this.expectSymbol('}');
    return { kind: 'set', items };
  }

  private tupleLiteral(): Term {
    this.expectSymbol('(');
    const items = [this.term()];
    while (this.acceptSymbol(',')) items.push(this.term());
    this.expectSymbol(')');
    return { kind: 'tuple', items };
  }

  protected relationOp(): RelationOp {
    const t = this.peek();
    if (t.kind === 'symbol' && ['=', '<', '<=', '>', '>=', '!='].includes(t.text)) {
      this.pos++;
      return t.text as RelationOp;
    }
    if (this.acceptKeyword('in')) return 'IN';
    if (this.acceptKeyword('contains')) return this.acceptKeyword('key') ? 'CONTAINS KEY' : 'CONTAINS';
    throw this.fail(t);
  }

  /** `col op term`, `col IN (t, ...)`, `col IN ?`, `token(a, b) op term`. */
  protected relation(): Relation {
    if (this.isKeyword('token') && this.isSymbol('(', 1)) {
      this.pos += 2;
      const columns = [this.identifier()];
      while (this.acceptSymbol(',')) columns.push(this.identifier());
      this.expectSymbol(')');
      const op = this.relationOp();
      return { kind: 'token', columns, op, term: this.term() };
    }
    const column = this.identifier();
    const op = this.relationOp();
    if (op === 'IN' && this.acceptSymbol('(')) {
      const terms: Term[] = [];
      if (!this.isSymbol(')')) {
        terms.push(this.term());
        while (this.acceptSymbol(',')) terms.push(this.term());
      }
      this.expectSymbol(')');
      return { kind: 'column', column, op, term: terms };
    }
    return { kind: 'column', column, op, term: this.term() };
  }

  protected whereClause(): Relation[] {
    const relations = [this.relation()];
    while (this.acceptKeyword('and')) relations.push(this.relation());
    return relations;
  }

  /** `USING TTL t AND TIMESTAMP ts` (either order, either optional). */
  protected usingClause(): UsingClause {
    let ttl: Term | undefined;
    let timestamp: Term | undefined;
    if (this.acceptKeyword('using')) {
      do {
        if (this.acceptKeyword('ttl')) ttl = this.term();
        else if (this.acceptKeyword('timestamp')) timestamp = this.term();
        else throw this.fail();
      } while (this.acceptKeyword('and'));
    }
    return { ttl, timestamp };
  }
}
