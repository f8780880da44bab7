import fc from 'fast-check';

/**
 * Byte-level mutations of a valid input, the way a corrupt link or a hostile peer would change
 * it: flip a bit, overwrite a byte, insert or delete bytes, truncate, or overwrite a 16- or 32-bit
 * field with a boundary value (0, 1, −1, 0x7fff…, 0x8000…, or the buffer length ± a little), which
 * is how length and count fields get to lie. Positions are taken modulo the current length, so a
 * mutation list applies to any buffer.
 */
export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'truncate'; keep: number }
  | { kind: 'int16'; at: number; value: number }
  | { kind: 'int32'; at: number; value: number }
  /** Writes the buffer's own length + delta as a 32-bit field: a length that is almost right. */
  | { kind: 'length32'; at: number; delta: number };

/** Boundary values for 32-bit fields; `relative` ones are added to the buffer's length. */
const INT32_VALUES = [
  0, 1, 2, 4, 8, 0x7f, 0xff, 0x7fff, 0xffff, 0x10000, 0x1ffff, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe,
];
const INT16_VALUES = [0, 1, 2, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xfffe, 0xffff];

const position = fc.nat({ max: 1 << 20 });

const int32Value = fc.oneof(fc.constantFrom(...INT32_VALUES), fc.nat({ max: 0xffffffff }));

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.nat({ max: 7 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), at: position, value: fc.nat({ max: 255 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: position,
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: position,
      count: fc.integer({ min: 1, max: 16 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), keep: position }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('int16' as const),
      at: position,
      value: fc.constantFrom(...INT16_VALUES),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('int32' as const), at: position, value: int32Value }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('length32' as const),
      at: position,
      delta: fc.integer({ min: -16, max: 16 }),
    }),
  },
);

/** One to `max` mutations. */
export function mutationsArb(max = 4): fc.Arbitrary<Mutation[]> {
  return fc.array(mutationArb, { minLength: 1, maxLength: max });
}

/** Applies `mutations` to a copy of `input`. */
export function mutate(input: Uint8Array, mutations: readonly Mutation[]): Buffer {
  let b = Buffer.from(input);
  for (const m of mutations) {
    const len = b.length;
    switch (m.kind) {
      case 'flip':
        if (len > 0) b[m.at % len]! ^= 1 << m.bit;
        break;
      case 'set':
        if (len > 0) b[m.at % len] = m.value;
        break;
      case 'insert': {
        const at = m.at % (len + 1);
        b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
        break;
      }
      case 'delete': {
        if (len === 0) break;
        const at = m.at % len;
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(len, at + m.count))]);
        break;
      }
      case 'truncate':
        b = b.subarray(0, m.keep % (len + 1));
        break;
      case 'int16':
        if (len >= 2) b.writeUInt16BE(m.value, m.at % (len - 1));
        break;
      case 'int32':
        if (len >= 4) b.writeUInt32BE(m.value >>> 0, m.at % (len - 3));
        break;
      case 'length32':
        if (len >= 4) b.writeUInt32BE(Math.max(0, len + m.delta), m.at % (len - 3));
        break;
    }
  }
  return b;
}

/** Cuts `bytes` into chunks at the given cut points (taken modulo the length), as a socket might deliver them. */
export function chunked(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  if (bytes.length === 0) return [bytes];
  const points = [...new Set(cuts.map((c) => c % bytes.length))].filter((c) => c > 0).sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

/** Chunk cut points for {@link chunked}. */
export const cutsArb = fc.array(fc.nat({ max: 1 << 20 }), { maxLength: 6 });
