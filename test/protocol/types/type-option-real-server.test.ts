import { describe, expect, it } from 'vitest';
import { PrimitiveReader, PrimitiveWriter } from '../../../src/protocol/primitives/index.js';
import type { ProtocolVersion } from '../../../src/protocol/protocol-version.js';
import type { DataType } from '../../../src/protocol/types/index.js';
import { readTypeOption, writeTypeOption } from '../../../src/protocol/types/index.js';
import { directionBytes, loadFixture } from '../../support/fixtures.js';

/**
 * The [option]s a real server wrote in the column specs of the every-type recordings. Each column
 * name appears as a [string] in the PREPARED and ROWS metadata; the [option] follows it. The small
 * responses there sit whole inside one segment (v5) or bare envelope (v4), so the bytes are
 * contiguous in the recorded stream.
 */
const addr: DataType = {
  kind: 'udt',
  keyspace: 'fx_types',
  name: 'addr',
  fields: [
    { name: 'street', type: { kind: 'text' } },
    { name: 'zip', type: { kind: 'int' } },
  ],
};
const expected = (hasVector: boolean): [string, DataType][] => [
  ['c_ascii', { kind: 'ascii' }],
  ['c_bigint', { kind: 'bigint' }],
  ['c_blob', { kind: 'blob' }],
  ['c_boolean', { kind: 'boolean' }],
  ['c_date', { kind: 'date' }],
  ['c_decimal', { kind: 'decimal' }],
  ['c_double', { kind: 'double' }],
  ['c_duration', { kind: 'duration' }],
  ['c_float', { kind: 'float' }],
  ['c_inet4', { kind: 'inet' }],
  ['c_int', { kind: 'int' }],
  ['c_smallint', { kind: 'smallint' }],
  ['c_text', { kind: 'text' }],
  ['c_time', { kind: 'time' }],
  ['c_timestamp', { kind: 'timestamp' }],
  ['c_timeuuid', { kind: 'timeuuid' }],
  ['c_tinyint', { kind: 'tinyint' }],
  ['c_uuid', { kind: 'uuid' }],
  ['c_varint', { kind: 'varint' }],
  ['c_list', { kind: 'list', element: { kind: 'int' } }],
  ['c_set', { kind: 'set', element: { kind: 'text' } }],
  ['c_map', { kind: 'map', key: { kind: 'text' }, value: { kind: 'int' } }],
  ['c_tuple', { kind: 'tuple', elements: [{ kind: 'int' }, { kind: 'text' }, { kind: 'boolean' }] }],
  ['c_udt', addr],
  ...(hasVector
    ? [['c_vector', { kind: 'vector', element: { kind: 'float' }, dimension: 3 }] as [string, DataType]]
    : []),
];

function optionsAfter(stream: Buffer, column: string, version: ProtocolVersion): { type: DataType; bytes: Buffer }[] {
  const name = Buffer.from(column, 'utf8');
  const key = Buffer.concat([Buffer.from([0, name.length]), name]);
  const out: { type: DataType; bytes: Buffer }[] = [];
  for (let i = stream.indexOf(key); i >= 0; i = stream.indexOf(key, i + 1)) {
    const r = new PrimitiveReader(stream, i + key.length);
    const start = r.offset;
    const type = readTypeOption(r, version);
    out.push({ type, bytes: stream.subarray(start, r.offset) });
  }
  return out;
}

for (const [name, version, hasVector] of [
  ['5.0.2-types-v5', 5, true],
  ['5.0.2-types-v4', 4, true],
  ['4.1.7-types-v5', 5, false],
  ['4.1.7-types-v4', 4, false],
] as const) {
  describe(`[option]s in ${name}`, () => {
    const stream = directionBytes(loadFixture(name), 's2c');
    for (const [column, type] of expected(hasVector)) {
      it(`${column} reads as ${JSON.stringify(type)} and writes back the server's exact bytes`, () => {
        const found = optionsAfter(stream, column, version);
        expect(found.length).toBeGreaterThanOrEqual(2); // PREPARED bind metadata and at least one ROWS
        for (const f of found) {
          expect(f.type).toEqual(type);
          const w = new PrimitiveWriter();
          writeTypeOption(w, f.type, version);
          expect(w.finish().toString('hex')).toBe(f.bytes.toString('hex'));
        }
      });
    }
  });
}

it('under v4 the server sends duration as CUSTOM DurationType and under v5 as 0x0015', () => {
  const v4 = optionsAfter(directionBytes(loadFixture('5.0.2-types-v4'), 's2c'), 'c_duration', 4)[0]!;
  expect(v4.bytes.subarray(0, 2).toString('hex')).toBe('0000');
  const v5 = optionsAfter(directionBytes(loadFixture('5.0.2-types-v5'), 's2c'), 'c_duration', 5)[0]!;
  expect(v5.bytes.toString('hex')).toBe('0015');
});
