import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArgumentError, ProtocolError } from '../../src/protocol/errors/index.js';
import { PrimitiveReader, PrimitiveWriter } from '../../src/protocol/primitives/index.js';
import type { ProtocolVersion } from '../../src/protocol/protocol-version.js';
import type { DataType, UdtType } from '../../src/protocol/types/index.js';
import {
  createValueDecoder,
  parseCqlTypeString,
  parseMarshalClassName,
  readTypeOption,
  toMarshalClassName,
  writeTypeOption,
} from '../../src/protocol/types/index.js';
import { loadTypesTable } from '../support/fixtures.js';
import { AllocationGuard } from './support/allocation-guard.js';
import { printValue } from './support/decode-all.js';
import { FUZZ_TEST_TIMEOUT_MS, fuzzParameters, fuzzRuns } from './support/fuzz-settings.js';
import { mutate, mutationsArb } from './support/mutation.js';
import { OutcomeTally, outcomeOf } from './support/outcome.js';
import { dataTypeArb, plausibleValue, prng } from './support/type-arbitraries.js';

/**
 * Type descriptors ([option] trees, marshal class names) and cell values from a hostile peer:
 * random and mutated type trees through `readTypeOption` (and a decoder built for whatever comes
 * out), every CQL type of the real-Cassandra type table with its recorded value bytes mutated,
 * and random type trees with structurally plausible random values. Each case decodes or throws a
 * `ProtocolError`; decoded values print without throwing.
 */

const guard = new AllocationGuard();
beforeAll(() => guard.install());
afterAll(() => guard.uninstall());
beforeEach(() => guard.reset());

function decodeAndPrint(type: DataType, bytes: Buffer): void {
  guard.watch(() => printValue(createValueDecoder(type)(bytes, 0, bytes.length)));
}

function optionBytes(type: DataType, version: ProtocolVersion): Buffer | undefined {
  const w = new PrimitiveWriter(64);
  try {
    writeTypeOption(w, type, version);
  } catch (error) {
    if (error instanceof ArgumentError) return undefined; // a tree the writer refuses is not wire material
    throw error;
  }
  return w.finishCopy();
}

const versionArb = fc.constantFrom<ProtocolVersion>(3, 4, 5);

describe('fuzz: [option] type trees', () => {
  it(
    'mutated [option] trees end in a type (whose decoder decodes or throws ProtocolError) or a ProtocolError',
    () => {
      const tally = new OutcomeTally('mutated [option] trees');
      fc.assert(
        fc.property(dataTypeArb, versionArb, mutationsArb(3), fc.integer(), (type, version, mutations, seed) => {
          const bytes = optionBytes(type, version);
          if (bytes === undefined) {
            fc.pre(false); // a tree the writer refuses: not a case
            return;
          }
          const corrupted = mutate(bytes, mutations);
          tally.add(
            outcomeOf(() => {
              const read = guard.watch(() => readTypeOption(new PrimitiveReader(corrupted), version));
              decodeAndPrint(read, plausibleValue(read, prng(seed)));
            }),
          );
        }),
        fuzzParameters(fuzzRuns(2000)),
      );
      tally.report();
      expect(tally.count('decoded')).toBeGreaterThan(0);
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
      expect(guard.largest).toBeLessThanOrEqual(64 * 1024);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it(
    'random bytes read as an [option] end in a type or a ProtocolError',
    () => {
      const tally = new OutcomeTally('random [option] bytes');
      fc.assert(
        // half the cases start with a real type id (native_protocol_v5.spec §4.2.5.2 (Rows)), so the
        // random part reaches the composite readers
        fc.property(
          fc.option(fc.constantFrom(0x00, 0x01, 0x09, 0x0d, 0x15, 0x20, 0x21, 0x22, 0x30, 0x31)),
          fc.uint8Array({ maxLength: 64 }),
          versionArb,
          (id, bytes, version) => {
            const input = id === null ? Buffer.from(bytes) : Buffer.concat([Buffer.from([0, id]), bytes]);
            tally.add(
              outcomeOf(() => {
                const read = readTypeOption(new PrimitiveReader(input), version);
                createValueDecoder(read);
              }),
            );
          },
        ),
        fuzzParameters(fuzzRuns(3000)),
      );
      tally.report();
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it('an [option] list<list<…>> 30,000 levels deep is a ProtocolError, not a stack overflow', () => {
    const bytes = Buffer.alloc(60_002);
    for (let i = 0; i < 30_000; i++) bytes.writeUInt16BE(0x0020, 2 * i); // 0x0020 list, element follows
    bytes.writeUInt16BE(0x0009, 60_000); // int
    expect(() => readTypeOption(new PrimitiveReader(bytes), 5)).toThrow(ProtocolError);
  });

  it('a marshal class name nested 7,000 levels deep is a ProtocolError, not a stack overflow', () => {
    const name =
      'org.apache.cassandra.db.marshal.ListType('.repeat(7000) +
      'org.apache.cassandra.db.marshal.Int32Type' +
      ')'.repeat(7000);
    expect(() => parseMarshalClassName(name)).toThrow(ProtocolError);
  });

  it(
    'mutated marshal class names (CUSTOM [option] strings) parse to a type or end in a ProtocolError',
    () => {
      const tally = new OutcomeTally('mutated marshal class names');
      fc.assert(
        fc.property(dataTypeArb, mutationsArb(3), fc.integer(), (type, mutations, seed) => {
          const name = mutate(Buffer.from(toMarshalClassName(type), 'latin1'), mutations).toString('latin1');
          tally.add(
            outcomeOf(() => {
              const read = parseMarshalClassName(name);
              decodeAndPrint(read, plausibleValue(read, prng(seed)));
            }),
          );
        }),
        fuzzParameters(fuzzRuns(2000)),
      );
      tally.report();
      expect(tally.count('decoded')).toBeGreaterThan(0);
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});

describe('fuzz: value decoders', () => {
  const table = loadTypesTable();
  const addr: UdtType = {
    kind: 'udt',
    keyspace: table.keyspace,
    name: 'addr',
    fields: [
      { name: 'street', type: { kind: 'text' } },
      { name: 'zip', type: { kind: 'int' } },
    ],
  };
  const columns = table.columns
    .filter((c) => c.value_hex !== undefined)
    // the table annotates some types ("frozen<addr>, addr = (…)", "vector<float, 3> (5.0.2 only)"): keep the type itself
    .map((c) => ({
      cql: c.cql_type.replace(/, addr = .*$/, '').replace(/ \(.*\)$/, ''),
      bytes: Buffer.from(c.value_hex!, 'hex'),
    }))
    .map(({ cql, bytes }) => ({
      type: parseCqlTypeString(cql, (name) => (name === 'addr' ? addr : undefined)),
      bytes,
    }));

  it('covers every CQL type of the real-Cassandra type table', () => {
    // 26 typed columns with recorded bytes (id has none): every simple type, the collections, tuple, UDT, vector
    expect(columns.map((c) => c.type.kind).sort()).toEqual([
      'ascii',
      'bigint',
      'blob',
      'boolean',
      'date',
      'decimal',
      'double',
      'duration',
      'float',
      'inet',
      'inet',
      'int',
      'list',
      'map',
      'set',
      'smallint',
      'text',
      'time',
      'timestamp',
      'timeuuid',
      'tinyint',
      'tuple',
      'udt',
      'uuid',
      'varint',
      'varint',
      'varint',
      'vector',
    ]);
  });

  it(
    'every type, its recorded value mutated, decodes or throws a ProtocolError',
    () => {
      const tally = new OutcomeTally('mutated recorded values of every type');
      fc.assert(
        fc.property(fc.nat({ max: columns.length - 1 }), mutationsArb(3), (index, mutations) => {
          const { type, bytes } = columns[index]!;
          tally.add(outcomeOf(() => decodeAndPrint(type, mutate(bytes, mutations))));
        }),
        fuzzParameters(fuzzRuns(4000)),
      );
      tally.report();
      expect(tally.count('decoded')).toBeGreaterThan(0);
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
      expect(guard.largest).toBeLessThanOrEqual(4096);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );

  it(
    'random type trees with structurally plausible (and then mutated) values decode or throw a ProtocolError',
    () => {
      const tally = new OutcomeTally('random type trees, plausible values');
      fc.assert(
        fc.property(dataTypeArb, fc.integer(), fc.option(mutationsArb(2), { freq: 2 }), (type, seed, mutations) => {
          const value = plausibleValue(type, prng(seed));
          tally.add(outcomeOf(() => decodeAndPrint(type, mutations === null ? value : mutate(value, mutations))));
        }),
        fuzzParameters(fuzzRuns(3000)),
      );
      tally.report();
      expect(tally.count('decoded')).toBeGreaterThan(0);
      expect(tally.count('protocol-error')).toBeGreaterThan(0);
      expect(guard.largest).toBeLessThanOrEqual(64 * 1024);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});
