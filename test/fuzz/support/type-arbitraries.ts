import fc from 'fast-check';
import type { DataType, SimpleTypeName } from '../../../src/protocol/types/index.js';
import { fixedValueLength } from '../../../src/protocol/types/index.js';
import { randomBytes, seededRandom } from '../../support/seeded-random.js';

/** The seeded PRNG the fuzz properties draw value bytes from (re-exported for them). */
export const prng = seededRandom;

/** Every simple CQL type name. */
export const SIMPLE_TYPE_NAMES: readonly SimpleTypeName[] = [
  'ascii',
  'bigint',
  'blob',
  'boolean',
  'counter',
  'decimal',
  'double',
  'float',
  'int',
  'timestamp',
  'uuid',
  'text',
  'varint',
  'timeuuid',
  'inet',
  'date',
  'time',
  'smallint',
  'tinyint',
  'duration',
];

const MARSHAL = 'org.apache.cassandra.db.marshal.';

/**
 * Random type trees: every simple type, list/set/map, tuple, UDT (odd field names included),
 * vector (fixed- and variable-width elements) and custom, nested a few levels deep.
 */
export const dataTypeArb: fc.Arbitrary<DataType> = fc.letrec<{ type: DataType }>((tie) => ({
  type: fc.oneof(
    { maxDepth: 4, depthIdentifier: 'type' },
    fc.constantFrom(...SIMPLE_TYPE_NAMES).map((kind): DataType => ({ kind })),
    tie('type').map((element): DataType => ({ kind: 'list', element })),
    tie('type').map((element): DataType => ({ kind: 'set', element })),
    fc.tuple(tie('type'), tie('type')).map(([key, value]): DataType => ({ kind: 'map', key, value })),
    fc.array(tie('type'), { minLength: 1, maxLength: 4 }).map((elements): DataType => ({ kind: 'tuple', elements })),
    fc
      .array(
        fc.record({
          name: fc.oneof(
            fc.string({ minLength: 1, maxLength: 6 }),
            fc.constantFrom('__proto__', 'constructor', 'toString'),
          ),
          type: tie('type'),
        }),
        { minLength: 1, maxLength: 4 },
      )
      .map((fields): DataType => ({ kind: 'udt', keyspace: 'ks', name: 'u', fields })),
    fc
      .tuple(tie('type'), fc.integer({ min: 1, max: 6 }))
      .map(([element, dimension]): DataType => ({ kind: 'vector', element, dimension })),
    fc
      .constantFrom(`${MARSHAL}BytesType`, 'com.example.Opaque', `${MARSHAL}DynamicCompositeType`)
      .map((className): DataType => ({ kind: 'custom', className })),
  ),
})).type;

function withLength(value: Buffer | null): Buffer {
  const head = Buffer.allocUnsafe(4);
  head.writeInt32BE(value === null ? -1 : value.length, 0);
  return value === null ? head : Buffer.concat([head, value]);
}

function unsignedVint(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x4000) return Buffer.from([0x80 | (n >> 8), n & 0xff]);
  return Buffer.from([0xc0 | (n >> 16), (n >> 8) & 0xff, n & 0xff]);
}

/**
 * Bytes shaped like a value of `type`: right counts, lengths and element structure, random
 * contents (so deep decoders are reached, and many leaves are still wrong). `null` for a null
 * element inside a collection.
 */
export function plausibleValue(type: DataType, rand: () => number, depth = 0): Buffer {
  const fixed = fixedValueLength(type);
  if (fixed !== undefined && type.kind !== 'vector')
    return randomBytes(rand, rand() < 0.9 ? fixed : Math.floor(rand() * 20));
  const count = Math.floor(rand() * (depth > 2 ? 2 : 4));
  const element = (t: DataType): Buffer =>
    rand() < 0.1 ? withLength(null) : withLength(plausibleValue(t, rand, depth + 1));
  switch (type.kind) {
    case 'list':
    case 'set': {
      const head = Buffer.allocUnsafe(4);
      head.writeInt32BE(count, 0);
      return Buffer.concat([head, ...Array.from({ length: count }, () => element(type.element))]);
    }
    case 'map': {
      const head = Buffer.allocUnsafe(4);
      head.writeInt32BE(count, 0);
      return Buffer.concat([
        head,
        ...Array.from({ length: count }, () => Buffer.concat([element(type.key), element(type.value)])),
      ]);
    }
    case 'tuple':
      return Buffer.concat(type.elements.map((e) => element(e)));
    case 'udt':
      return Buffer.concat(
        type.fields
          .slice(0, rand() < 0.8 ? type.fields.length : Math.floor(rand() * type.fields.length))
          .map((f) => element(f.type)),
      );
    case 'vector': {
      const size = fixedValueLength(type.element);
      const parts: Buffer[] = [];
      for (let i = 0; i < type.dimension; i++) {
        const v = plausibleValue(type.element, rand, depth + 1);
        parts.push(size !== undefined ? v : Buffer.concat([unsignedVint(v.length), v]));
      }
      return Buffer.concat(parts);
    }
    case 'decimal':
      return randomBytes(rand, 4 + 1 + Math.floor(rand() * 8));
    case 'duration':
      return randomBytes(rand, 3 + Math.floor(rand() * 6));
    case 'inet':
      return randomBytes(rand, rand() < 0.5 ? 4 : 16);
    default:
      return randomBytes(rand, Math.floor(rand() * 24));
  }
}
