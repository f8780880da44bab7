import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import type { DataType, UdtType } from './data-type.js';
import { parseMarshalClassName } from './marshal-class-name.js';
import { isSimpleTypeName, simpleType } from './simple-types.js';

/**
 * CQL type strings: the form Cassandra prints in `system_schema.columns.type` and accepts in
 * CREATE TABLE / CREATE TYPE (`map<text, int>`, `frozen<list<int>>`, `vector<float, 3>`).
 */

/** Identifiers CQL leaves unquoted: lower-case letters, digits and `_`, not starting with a digit. */
const PLAIN_IDENTIFIER = /^[a-z][a-z0-9_]*$/;

/** Quotes an identifier the way CQL needs it (`"MyType"`), leaving plain lower-case names bare. */
function cqlIdentifier(name: string): string {
  return PLAIN_IDENTIFIER.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * Prints a type as Cassandra prints it in system_schema: `, ` between parameters, tuples always
 * as `frozen<tuple<...>>` (they are always frozen), a UDT by its bare name (`frozen<addr>` when
 * frozen; the keyspace is implied), a custom type as its quoted class name.
 */
export function toCqlTypeString(type: DataType): string {
  switch (type.kind) {
    case 'list':
      return frozenIf(`list<${toCqlTypeString(type.element)}>`, type.frozen);
    case 'set':
      return frozenIf(`set<${toCqlTypeString(type.element)}>`, type.frozen);
    case 'map':
      return frozenIf(`map<${toCqlTypeString(type.key)}, ${toCqlTypeString(type.value)}>`, type.frozen);
    case 'tuple':
      return `frozen<tuple<${type.elements.map(toCqlTypeString).join(', ')}>>`;
    case 'udt':
      return frozenIf(cqlIdentifier(type.name), type.frozen);
    case 'vector':
      return `vector<${toCqlTypeString(type.element)}, ${type.dimension}>`;
    case 'custom':
      return `'${type.className.replace(/'/g, "''")}'`;
    default:
      return type.kind;
  }
}

function frozenIf(s: string, frozen: boolean | undefined): string {
  return frozen === true ? `frozen<${s}>` : s;
}

/** Resolves a UDT name met in a type string; `keyspace` is given when the name was qualified. */
export type UdtResolver = (name: string, keyspace?: string) => UdtType | undefined;

/**
 * Parses a CQL type string (case-insensitive keywords, any whitespace, `varchar` as `text`,
 * `frozen<...>` on collections and UDTs, `tuple<...>`, `vector<t, n>`, a quoted custom class
 * name, and UDT names — plain, "quoted" or keyspace-qualified — through `resolveUdt`).
 * Anything it cannot make sense of is an `ArgumentError` naming the text.
 */
export function parseCqlTypeString(text: string, resolveUdt?: UdtResolver): DataType {
  const p = new TypeStringParser(text, resolveUdt);
  const t = p.type(0);
  p.skipSpace();
  if (p.pos < text.length) throw p.fail(`unexpected "${text.slice(p.pos)}"`);
  return t;
}

const MAX_DEPTH = 64;

class TypeStringParser {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly resolveUdt: UdtResolver | undefined,
  ) {}

  fail(why: string): ArgumentError {
    return new ArgumentError(`Invalid CQL type "${this.text}": ${why}`);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  expect(ch: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== ch) {
      throw this.fail(
        `expected "${ch}" at ${this.pos}${this.pos < this.text.length ? `, found "${this.text[this.pos]}"` : ', found the end'}`,
      );
    }
    this.pos++;
  }

  /** An unquoted (lower-cased) or "quoted" (kept as written) identifier. */
  identifier(): { name: string; quoted: boolean } {
    this.skipSpace();
    if (this.text[this.pos] === '"') {
      let name = '';
      for (let i = this.pos + 1; i < this.text.length; i++) {
        if (this.text[i] === '"') {
          if (this.text[i + 1] === '"') {
            name += '"';
            i++;
            continue;
          }
          this.pos = i + 1;
          return { name, quoted: true };
        }
        name += this.text[i]!;
      }
      throw this.fail('unterminated quoted identifier');
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (m === null) throw this.fail(`expected a type at ${this.pos}`);
    this.pos += m[0].length;
    return { name: m[0].toLowerCase(), quoted: false };
  }

  type(depth: number): DataType {
    if (depth > MAX_DEPTH) throw this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    this.skipSpace();
    if (this.text[this.pos] === "'") return this.custom();
    const id = this.identifier();
    if (!id.quoted) {
      const name = id.name === 'varchar' ? 'text' : id.name;
      if (isSimpleTypeName(name)) return simpleType(name);
      switch (name) {
        case 'frozen':
          return this.frozen(depth);
        case 'list':
        case 'set': {
          this.expect('<');
          const element = this.type(depth + 1);
          this.expect('>');
          return { kind: name, element };
        }
        case 'map': {
          this.expect('<');
          const key = this.type(depth + 1);
          this.expect(',');
          const value = this.type(depth + 1);
          this.expect('>');
          return { kind: 'map', key, value };
        }
        case 'tuple': {
          this.expect('<');
          const elements = [this.type(depth + 1)];
          this.skipSpace();
          while (this.text[this.pos] === ',') {
            this.pos++;
            elements.push(this.type(depth + 1));
            this.skipSpace();
          }
          this.expect('>');
          return { kind: 'tuple', elements };
        }
        case 'vector':
          return this.vector(depth);
        default:
          break;
      }
    }
    return this.udt(id.name);
  }

  frozen(depth: number): DataType {
    this.expect('<');
    const inner = this.type(depth + 1);
    this.expect('>');
    switch (inner.kind) {
      case 'list':
      case 'set':
      case 'map':
      case 'udt':
        return { ...inner, frozen: true };
      case 'tuple':
      case 'vector':
      case 'custom':
        return inner; // always frozen already
      default:
        throw this.fail(`frozen<${inner.kind}>: only collections, tuples and user types can be frozen`);
    }
  }

  vector(depth: number): DataType {
    this.expect('<');
    const element = this.type(depth + 1);
    this.expect(',');
    this.skipSpace();
    const m = /^[0-9]+/.exec(this.text.slice(this.pos));
    const dimension = m === null ? NaN : Number(m[0]);
    if (m === null || dimension < 1 || dimension > 0x7fffffff)
      throw this.fail('a vector dimension must be an integer in [1, 2147483647]');
    this.pos += m[0].length;
    this.expect('>');
    return { kind: 'vector', element, dimension };
  }

  /** 'class.Name': a custom type, parsed like a CUSTOM [option] so known classes get descriptors. */
  custom(): DataType {
    let s = '';
    for (let i = this.pos + 1; i < this.text.length; i++) {
      if (this.text[i] === "'") {
        if (this.text[i + 1] === "'") {
          s += "'";
          i++;
          continue;
        }
        this.pos = i + 1;
        try {
          return parseMarshalClassName(s);
        } catch (e) {
          if (e instanceof ProtocolError) throw this.fail(e.message);
          throw e;
        }
      }
      s += this.text[i]!;
    }
    throw this.fail('unterminated custom type string');
  }

  udt(first: string): DataType {
    let keyspace: string | undefined;
    let name = first;
    this.skipSpace();
    if (this.text[this.pos] === '.') {
      this.pos++;
      keyspace = first;
      name = this.identifier().name;
    }
    const found = this.resolveUdt?.(name, keyspace);
    if (found === undefined) {
      throw this.fail(
        `unknown type ${keyspace === undefined ? '' : `${cqlIdentifier(keyspace)}.`}${cqlIdentifier(name)}`,
      );
    }
    return found;
  }
}
