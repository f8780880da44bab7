import type { DataType } from '../../protocol/types/index.js';

/** Compares two serialised values of one CQL type; empty values sort first, as in Cassandra. */
export type ValueComparator = (a: Buffer, b: Buffer) => number;

/** Big-endian two's complement of any length (fixed-size ints, timestamps, time): flip the sign bit. */
const compareSignedFixed: ValueComparator = (a, b) => {
  if (a.length === 0 || b.length === 0) return a.length - b.length;
  const sa = a[0]! ^ 0x80;
  const sb = b[0]! ^ 0x80;
  if (sa !== sb) return sa - sb;
  return Buffer.compare(a.subarray(1), b.subarray(1));
};

/** Unsigned lexicographic bytes: text (UTF-8 order = code point order), ascii, blob, inet, boolean, date. */
const compareBytes: ValueComparator = (a, b) => Buffer.compare(a, b);

function readFloat(b: Buffer): number {
  return b.length === 4 ? b.readFloatBE(0) : b.readDoubleBE(0);
}

/** Java's Float.compare/Double.compare: -0.0 < 0.0, NaN above everything. */
const compareFloating: ValueComparator = (a, b) => {
  if (a.length === 0 || b.length === 0) return a.length - b.length;
  const x = readFloat(a);
  const y = readFloat(b);
  if (x < y) return -1;
  if (x > y) return 1;
  const nx = Number.isNaN(x),
    ny = Number.isNaN(y);
  if (nx || ny) return nx === ny ? 0 : nx ? 1 : -1;
  const zx = Object.is(x, -0),
    zy = Object.is(y, -0);
  return zx === zy ? 0 : zx ? -1 : 1;
};

function varintOf(b: Buffer, from = 0): bigint {
  if (b.length - from === 0) return 0n;
  let v = BigInt.asIntN(8, BigInt(b[from]!));
  for (let i = from + 1; i < b.length; i++) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

const compareVarint: ValueComparator = (a, b) => {
  if (a.length === 0 || b.length === 0) return a.length - b.length;
  const x = varintOf(a),
    y = varintOf(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

const compareDecimal: ValueComparator = (a, b) => {
  if (a.length < 4 || b.length < 4) return a.length - b.length;
  const sa = a.readInt32BE(0),
    sb = b.readInt32BE(0);
  let x = varintOf(a, 4),
    y = varintOf(b, 4);
  if (sa > sb) y *= 10n ** BigInt(sa - sb);
  else if (sb > sa) x *= 10n ** BigInt(sb - sa);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** The 60-bit v1 timestamp with the version nibble on top (TimeUUIDType.reorderTimestampBytes). */
function reorderedTimestamp(b: Buffer): bigint {
  const msb = b.readBigUInt64BE(0);
  return BigInt.asUintN(64, (msb << 48n) | ((msb << 16n) & 0xffff00000000n) | (msb >> 32n));
}

/** The low 8 bytes compared as signed bytes, one at a time (Cassandra keeps this for compatibility). */
function compareSignedBytes(a: Buffer, b: Buffer, from: number): number {
  for (let i = from; i < 16; i++) {
    const x = (a[i]! << 24) >> 24,
      y = (b[i]! << 24) >> 24;
    if (x !== y) return x - y;
  }
  return 0;
}

const compareTimeUuid: ValueComparator = (a, b) => {
  if (a.length !== 16 || b.length !== 16) return a.length - b.length;
  const x = reorderedTimestamp(a),
    y = reorderedTimestamp(b);
  if (x !== y) return x < y ? -1 : 1;
  return compareSignedBytes(a, b, 8);
};

/** UUIDType: by version first; v1 by timestamp, others by the high 8 bytes; then the low 8 bytes. */
const compareUuid: ValueComparator = (a, b) => {
  if (a.length !== 16 || b.length !== 16) return a.length - b.length;
  const va = a[6]! >> 4,
    vb = b[6]! >> 4;
  if (va !== vb) return va - vb;
  if (va === 1) {
    const x = reorderedTimestamp(a),
      y = reorderedTimestamp(b);
    if (x !== y) return x < y ? -1 : 1;
  } else {
    const c = Buffer.compare(a.subarray(0, 8), b.subarray(0, 8));
    if (c !== 0) return c;
  }
  return compareSignedBytes(a, b, 8);
};

/** Tuples and UDTs: component by component ([bytes] each, null first), fewer components first. */
function compareComponents(types: readonly DataType[]): ValueComparator {
  const cmps = types.map(comparatorFor);
  return (a, b) => {
    let pa = 0,
      pb = 0;
    for (let i = 0; i < cmps.length; i++) {
      if (pa >= a.length || pb >= b.length) return (pa >= a.length ? 0 : 1) - (pb >= b.length ? 0 : 1);
      const la = a.readInt32BE(pa),
        lb = b.readInt32BE(pb);
      pa += 4;
      pb += 4;
      if (la < 0 || lb < 0) {
        if (la !== lb) return la < 0 ? -1 : 1;
        continue;
      }
      const c = cmps[i]!(a.subarray(pa, pa + la), b.subarray(pb, pb + lb));
      if (c !== 0) return c;
      pa += la;
      pb += lb;
    }
    return 0;
  };
}

/** The comparator Cassandra's marshal type uses for `type` (clustering order, ranges, filtering). */
export function comparatorFor(type: DataType): ValueComparator {
  switch (type.kind) {
    case 'int':
    case 'bigint':
    case 'smallint':
    case 'tinyint':
    case 'timestamp':
    case 'counter':
    case 'time':
      return compareSignedFixed;
    case 'float':
    case 'double':
      return compareFloating;
    case 'varint':
      return compareVarint;
    case 'decimal':
      return compareDecimal;
    case 'uuid':
      return compareUuid;
    case 'timeuuid':
      return compareTimeUuid;
    case 'tuple':
      return compareComponents(type.elements);
    case 'udt':
      return compareComponents(type.fields.map((f) => f.type));
    // text/ascii/blob/inet/boolean/date (unsigned with the 2^31 offset) and frozen collections
    // (compared on their serialised form here; a simplification of Cassandra's element-wise order).
    default:
      return compareBytes;
  }
}
