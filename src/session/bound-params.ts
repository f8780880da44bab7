import { ArgumentError } from '../protocol/errors/index.js';
import type { BoundValue } from '../protocol/messages/index.js';
import { UNSET } from '../protocol/primitives/index.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import { serializePartitionKey } from '../protocol/token/index.js';
import type { DataType } from '../protocol/types/index.js';
import { encodeValue, parseCqlTypeString } from '../protocol/types/index.js';
import { countBindMarkers } from './bind-markers.js';
import type { PreparedStatement } from './prepared-statement.js';
import { inferType } from './value-inference.js';

/** Parameters of a statement: positional (an array) or by bind-marker name (an object). */
export type Params = readonly unknown[] | Readonly<Record<string, unknown>>;

/** A type hint: a CQL type string (`'int'`, `'map<text, int>'`) or a descriptor; undefined = infer. */
export type TypeHint = string | DataType | undefined;

/** Bound values ready for the wire, and the routing key when the partition key is among them. */
export interface Bound {
  values: BoundValue[] | undefined;
  names: string[] | undefined;
  routingKey: Buffer | undefined;
}

const NOTHING: Bound = Object.freeze({ values: undefined, names: undefined, routingKey: undefined });

function isPositional(params: Params): params is readonly unknown[] {
  return Array.isArray(params);
}

function checkParamsShape(params: unknown): asserts params is Params | undefined | null {
  if (params === undefined || params === null || Array.isArray(params)) return;
  if (typeof params !== 'object' || Buffer.isBuffer(params) || params instanceof Map) {
    throw new ArgumentError(
      `Parameters must be an array (positional) or a plain object (named), got ${Buffer.isBuffer(params) ? 'a Buffer' : params instanceof Map ? 'a Map' : typeof params}`,
    );
  }
}

/** undefined → not set (v4+, leaves the column as it is); null → null. */
function encodeOne(type: DataType, value: unknown, column: string, version: ProtocolVersion): BoundValue {
  if (value === undefined) return version >= 4 ? UNSET : null;
  return encodeValue(type, value, { column });
}

/**
 * Encodes parameters for a prepared statement with the exact types of its bind variables. A wrong
 * count, a missing or unknown name, or a value that does not fit its column's type is an
 * `ArgumentError` (naming column, type and value), thrown before anything is sent.
 */
export function bindPrepared(stmt: PreparedStatement, params: unknown, version: ProtocolVersion): Bound {
  checkParamsShape(params);
  const vars = stmt.variables;
  const values = new Array<BoundValue>(vars.length);
  if (params === undefined || params === null) {
    if (vars.length > 0)
      throw new ArgumentError(
        `The statement has ${vars.length} bind marker(s) (${vars.map((v) => v.name).join(', ')}) but no parameters were given`,
      );
    return { values, names: undefined, routingKey: undefined };
  }
  if (isPositional(params)) {
    if (params.length !== vars.length) {
      throw new ArgumentError(
        `The statement has ${vars.length} bind marker(s) (${vars.map((v) => v.name).join(', ')}) but ${params.length} parameter(s) were given`,
      );
    }
    for (let i = 0; i < vars.length; i++) values[i] = encodeOne(vars[i]!.type, params[i], vars[i]!.name, version);
  } else {
    const filled = new Array<boolean>(vars.length).fill(false);
    for (const key of Object.keys(params)) {
      const i = stmt.variableIndex.get(key) ?? stmt.variableIndex.get(key.toLowerCase());
      if (i === undefined) {
        throw new ArgumentError(
          `No bind marker named "${key}"; the statement has ${vars.map((v) => v.name).join(', ') || 'none'}`,
        );
      }
      values[i] = encodeOne(vars[i]!.type, params[key], vars[i]!.name, version);
      filled[i] = true;
    }
    const missing = vars.filter((_, i) => !filled[i]).map((v) => v.name);
    if (missing.length > 0)
      throw new ArgumentError(
        `Missing parameter(s) ${missing.map((m) => `"${m}"`).join(', ')}; the statement has ${vars.map((v) => v.name).join(', ')}`,
      );
  }
  return { values, names: undefined, routingKey: routingKeyOf(stmt.pkIndexes, values) };
}

/** The serialised partition key from the bound values, or undefined when a component is null / not set. */
export function routingKeyOf(pkIndexes: readonly number[], values: readonly BoundValue[]): Buffer | undefined {
  if (pkIndexes.length === 0) return undefined;
  if (pkIndexes.length === 1) {
    const v = values[pkIndexes[0]!];
    return Buffer.isBuffer(v) ? v : undefined;
  }
  const parts: Buffer[] = [];
  for (const i of pkIndexes) {
    const v = values[i];
    if (!Buffer.isBuffer(v)) return undefined;
    parts.push(v);
  }
  return serializePartitionKey(parts);
}

function hintType(hint: TypeHint, index: number | string): DataType | undefined {
  if (hint === undefined) return undefined;
  if (typeof hint === 'string') {
    try {
      return parseCqlTypeString(hint);
    } catch (error) {
      throw new ArgumentError(`Hint for parameter ${index}: '${hint}' is not a CQL type (${(error as Error).message})`);
    }
  }
  return hint;
}

/**
 * Encodes parameters for an unprepared query: types from `hints` where given, else inferred from
 * the JS values (see `inferType`). Values are always bound, never spliced into the text. With
 * positional parameters the count of `?` markers in the text is checked first.
 */
export function bindUnprepared(
  query: string,
  params: unknown,
  hints: readonly TypeHint[] | Readonly<Record<string, TypeHint>> | undefined,
  version: ProtocolVersion,
): Bound {
  checkParamsShape(params);
  if (params === undefined || params === null) return NOTHING;
  if (isPositional(params)) {
    const markers = countBindMarkers(query);
    if (markers !== undefined && markers !== params.length) {
      throw new ArgumentError(
        `The query has ${markers} bind marker(s) '?' but ${params.length} parameter(s) were given`,
      );
    }
    const positionalHints = Array.isArray(hints) ? (hints as readonly TypeHint[]) : undefined;
    const values = new Array<BoundValue>(params.length);
    for (let i = 0; i < params.length; i++) {
      const v = params[i];
      if (v === null || v === undefined) {
        values[i] = v === undefined && version >= 4 ? UNSET : null;
        continue;
      }
      const type = hintType(positionalHints?.[i], i) ?? inferType(v, i);
      values[i] = encodeValue(type, v, { column: `parameter ${i}` });
    }
    return { values, names: undefined, routingKey: undefined };
  }
  const namedHints =
    hints !== undefined && !Array.isArray(hints) ? (hints as Readonly<Record<string, TypeHint>>) : undefined;
  const names = Object.keys(params);
  const values = new Array<BoundValue>(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const v = (params as Record<string, unknown>)[name];
    if (v === null || v === undefined) {
      values[i] = v === undefined && version >= 4 ? UNSET : null;
      continue;
    }
    const type = hintType(namedHints?.[name], name) ?? inferType(v, name);
    values[i] = encodeValue(type, v, { column: name });
  }
  return { values, names, routingKey: undefined };
}
