import { isConsistency } from '../consistency.js';
import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import type { PrimitiveReader } from '../primitives/primitive-reader.js';
import type { PrimitiveWriter } from '../primitives/primitive-writer.js';
import { UNSET } from '../primitives/unset.js';
import type { ProtocolVersion } from '../protocol-version.js';

/** One bound [value]: the encoded bytes, null, or "not set" (v4+). */
export type BoundValue = Buffer | null | typeof UNSET;

/**
 * The `<query_parameters>` of QUERY and EXECUTE (native_protocol_v5.spec §4.1.4 (QUERY)). The flags are not
 * given: they follow from which fields are present.
 */
export interface QueryParameters {
  consistency: number;
  /** Bound values; present (even empty) sets the VALUES flag. */
  values?: readonly BoundValue[];
  /** One bind-marker name per value (WITH_NAMES_FOR_VALUES); needs `values` of the same length. */
  names?: readonly string[];
  /** Asks for a Rows result without metadata (SKIP_METADATA). */
  skipMetadata?: boolean;
  /** Rows per page, a positive [int]. */
  pageSize?: number;
  pagingState?: Buffer;
  serialConsistency?: number;
  /** Default timestamp, microseconds since the epoch. */
  timestamp?: bigint;
  /** v5 only. */
  keyspace?: string;
  /** v5 only; the server reads it as unsigned. */
  nowInSeconds?: number;
}

/** The query flags (native_protocol_v5.spec §4.1.4; a [byte] in v3/v4, an [int] in v5). */
export const QueryFlag = {
  VALUES: 0x0001,
  SKIP_METADATA: 0x0002,
  PAGE_SIZE: 0x0004,
  WITH_PAGING_STATE: 0x0008,
  WITH_SERIAL_CONSISTENCY: 0x0010,
  WITH_DEFAULT_TIMESTAMP: 0x0020,
  WITH_NAMES_FOR_VALUES: 0x0040,
  WITH_KEYSPACE: 0x0080,
  WITH_NOW_IN_SECONDS: 0x0100,
} as const;

/** The flags a `QueryParameters` is encoded with. */
export function queryFlags(p: QueryParameters): number {
  let flags = 0;
  if (p.values !== undefined) flags |= QueryFlag.VALUES;
  if (p.skipMetadata === true) flags |= QueryFlag.SKIP_METADATA;
  if (p.pageSize !== undefined) flags |= QueryFlag.PAGE_SIZE;
  if (p.pagingState !== undefined) flags |= QueryFlag.WITH_PAGING_STATE;
  if (p.serialConsistency !== undefined) flags |= QueryFlag.WITH_SERIAL_CONSISTENCY;
  if (p.timestamp !== undefined) flags |= QueryFlag.WITH_DEFAULT_TIMESTAMP;
  if (p.names !== undefined) flags |= QueryFlag.WITH_NAMES_FOR_VALUES;
  if (p.keyspace !== undefined) flags |= QueryFlag.WITH_KEYSPACE;
  if (p.nowInSeconds !== undefined) flags |= QueryFlag.WITH_NOW_IN_SECONDS;
  return flags;
}

/** Checks the fields only v5 carries (never send those flags on v4: native_protocol_v5.spec §9 (Changes from v4)). */
export function checkV5OnlyFields(
  what: string,
  keyspace: string | undefined,
  nowInSeconds: number | undefined,
  version: ProtocolVersion,
): void {
  if (version >= 5) return;
  if (keyspace !== undefined) {
    throw new ArgumentError(
      `${what}: a per-request keyspace ('${keyspace}') needs protocol v5, the connection speaks v${version}`,
    );
  }
  if (nowInSeconds !== undefined) {
    throw new ArgumentError(
      `${what}: nowInSeconds (${nowInSeconds}) needs protocol v5, the connection speaks v${version}`,
    );
  }
}

/** Checks a consistency level before it is written as a [short]. */
export function checkConsistency(what: string, cl: number): void {
  if (!isConsistency(cl))
    throw new ArgumentError(
      `${what}: ${String(cl)} is not a consistency level (0 ANY to 10 LOCAL_ONE, see Consistency)`,
    );
}

/** Checks a default timestamp: a signed 64-bit count of microseconds. */
export function checkTimestamp(what: string, ts: bigint): void {
  if (typeof ts !== 'bigint' || ts !== BigInt.asIntN(64, ts)) {
    throw new ArgumentError(`${what}: the timestamp ${String(ts)} is not a signed 64-bit bigint of microseconds`);
  }
}

/** Checks now_in_seconds: the server reads an unsigned 32-bit [int]. */
export function checkNowInSeconds(what: string, now: number): void {
  if (!Number.isInteger(now) || now < 0 || now > 0xffffffff) {
    throw new ArgumentError(`${what}: nowInSeconds must be an integer 0..4294967295, got ${now}`);
  }
}

/** Writes the flags: a [byte] before v5, an [int] from v5 (native_protocol_v5.spec §4.1.4). */
export function writeQueryFlags(w: PrimitiveWriter, flags: number, version: ProtocolVersion): void {
  if (version >= 5) w.int(flags);
  else w.byte(flags);
}

/** Reads the flags: a [byte] before v5, an unsigned [int] from v5. */
export function readQueryFlags(r: PrimitiveReader, version: ProtocolVersion): number {
  return version >= 5 ? r.uint() : r.byte();
}

/** Writes a bound value list: [short] n, then n [value] (each preceded by a [string] name when named). */
export function writeBoundValues(
  w: PrimitiveWriter,
  values: readonly BoundValue[],
  names: readonly string[] | undefined,
  version: ProtocolVersion,
): void {
  if (values.length > 0xffff) throw new ArgumentError(`${values.length} bound values are too many (max 65535)`);
  w.short(values.length);
  for (let i = 0; i < values.length; i++) {
    if (names !== undefined) w.string(names[i]!);
    const v = values[i]!;
    if (v === UNSET && version < 4) {
      throw new ArgumentError(
        `Bound value ${i} is UNSET, which needs protocol v4 or later (connection speaks v${version})`,
      );
    }
    w.value(v);
  }
}

/** Reads a bound value list (values are views into the body). */
export function readBoundValues(
  r: PrimitiveReader,
  named: boolean,
): { values: BoundValue[]; names: string[] | undefined } {
  const n = r.short();
  // each [value] takes at least its 4 length bytes: check before allocating
  r.need(n * 4, 'bound values');
  const values: BoundValue[] = new Array<BoundValue>(n);
  const names: string[] | undefined = named ? new Array<string>(n) : undefined;
  for (let i = 0; i < n; i++) {
    if (names !== undefined) names[i] = r.string();
    values[i] = r.value();
  }
  return { values, names };
}

/** Writes `<consistency><flags>...` in the spec's field order (native_protocol_v5.spec §4.1.4). */
export function writeQueryParameters(w: PrimitiveWriter, p: QueryParameters, version: ProtocolVersion): void {
  checkV5OnlyFields('Query parameters', p.keyspace, p.nowInSeconds, version);
  if (p.names !== undefined && p.values?.length !== p.names.length) {
    throw new ArgumentError(
      `Query parameters: ${p.names.length} names given for ${p.values?.length ?? 'no'} values; they must match one to one`,
    );
  }
  if (p.pageSize !== undefined && (!Number.isInteger(p.pageSize) || p.pageSize <= 0 || p.pageSize > 0x7fffffff)) {
    // Cassandra refuses a page size of 0 ("The page size cannot be 0"); a negative one means no paging:
    // omit the flag instead (native_protocol_v5.spec §7 (Result paging))
    throw new ArgumentError(`Page size must be a positive 32-bit integer, got ${p.pageSize}`);
  }
  checkConsistency('Query parameters consistency', p.consistency);
  if (p.serialConsistency !== undefined) checkConsistency('Query parameters serialConsistency', p.serialConsistency);
  if (p.timestamp !== undefined) checkTimestamp('Query parameters', p.timestamp);
  if (p.nowInSeconds !== undefined) checkNowInSeconds('Query parameters', p.nowInSeconds);
  const flags = queryFlags(p);
  w.consistency(p.consistency);
  writeQueryFlags(w, flags, version);
  if (p.values !== undefined) writeBoundValues(w, p.values, p.names, version);
  if (p.pageSize !== undefined) w.int(p.pageSize);
  if (p.pagingState !== undefined) w.bytes(p.pagingState);
  if (p.serialConsistency !== undefined) w.consistency(p.serialConsistency);
  if (p.timestamp !== undefined) w.long(p.timestamp);
  if (p.keyspace !== undefined) w.string(p.keyspace);
  if (p.nowInSeconds !== undefined) w.uint(p.nowInSeconds);
}

/** Reads `<query_parameters>`; v5-only flags are ignored on v3/v4, as the server does. */
export function readQueryParameters(r: PrimitiveReader, version: ProtocolVersion): QueryParameters {
  const consistency = r.consistency();
  const flags = readQueryFlags(r, version);
  const p: QueryParameters = { consistency };
  if (flags & QueryFlag.VALUES) {
    const { values, names } = readBoundValues(r, (flags & QueryFlag.WITH_NAMES_FOR_VALUES) !== 0);
    p.values = values;
    if (names !== undefined) p.names = names;
  }
  if (flags & QueryFlag.SKIP_METADATA) p.skipMetadata = true;
  if (flags & QueryFlag.PAGE_SIZE) p.pageSize = r.int();
  if (flags & QueryFlag.WITH_PAGING_STATE) {
    const state = r.bytes();
    if (state === null) throw new ProtocolError('WITH_PAGING_STATE flag set but the paging state is null');
    p.pagingState = state;
  }
  if (flags & QueryFlag.WITH_SERIAL_CONSISTENCY) p.serialConsistency = r.consistency();
  if (flags & QueryFlag.WITH_DEFAULT_TIMESTAMP) p.timestamp = r.long();
  if (version >= 5) {
    if (flags & QueryFlag.WITH_KEYSPACE) p.keyspace = r.string();
    if (flags & QueryFlag.WITH_NOW_IN_SECONDS) p.nowInSeconds = r.uint();
  }
  return p;
}
