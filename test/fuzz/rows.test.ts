import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { ProtocolError } from '../../src/protocol/errors/index.js';
import type { ColumnSpec, RowsResult } from '../../src/protocol/messages/index.js';
import { decodeResponseBody, encodeResponseBody } from '../../src/protocol/messages/index.js';
import type { ProtocolVersion } from '../../src/protocol/protocol-version.js';
import { decodeRowsPage, RowsShape } from '../../src/protocol/rows/index.js';
import { AllocationGuard } from './support/allocation-guard.js';
import { readEveryCell } from './support/decode-all.js';
import { FUZZ_TEST_TIMEOUT_MS, fuzzParameters, fuzzRuns } from './support/fuzz-settings.js';
import { mutate, mutationsArb } from './support/mutation.js';
import { OutcomeTally, outcomeOf } from './support/outcome.js';
import { dataTypeArb, plausibleValue, prng } from './support/type-arbitraries.js';

/**
 * RESULT Rows bodies (native_protocol_v5.spec §4.2.5.2 (Rows)) built from random columns and rows —
 * each cell null, a structurally plausible value of its type, or random bytes — then mutated,
 * through the message decoder and the zero-copy Rows decoder with every cell read. Both with full
 * metadata and NO_METADATA (the client's cached columns). Each case decodes or throws a
 * `ProtocolError`, and no Buffer larger than the body is requested.
 */

const guard = new AllocationGuard();
beforeAll(() => guard.install());
afterAll(() => guard.uninstall());
beforeEach(() => guard.reset());

const pageArb = fc.record({
  types: fc.array(dataTypeArb, { minLength: 1, maxLength: 6 }),
  rows: fc.nat({ max: 6 }),
  seed: fc.integer(),
  names: fc.array(
    fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'get', 'keys', 'toObject', '')),
    { minLength: 6, maxLength: 6 },
  ),
  pagingState: fc.option(fc.uint8Array({ maxLength: 40 })),
  noMetadata: fc.boolean(),
  version: fc.constantFrom<ProtocolVersion>(3, 4, 5),
});

type GeneratedPage = typeof pageArb extends fc.Arbitrary<infer P> ? P : never;

/** Encodes a Rows body for the generated page; returns it with the columns a client would hold. */
function buildRowsBody(page: GeneratedPage): { body: Buffer; columns: ColumnSpec[] } {
  const rand = prng(page.seed);
  const columns: ColumnSpec[] = page.types.map((type, j) => ({
    keyspace: 'ks',
    table: 't',
    name: page.names[j]!,
    type,
  }));
  const cells: Buffer[] = [];
  for (let i = 0; i < page.rows; i++) {
    for (const c of columns) {
      const roll = rand();
      const head = Buffer.allocUnsafe(4);
      if (roll < 0.1) {
        head.writeInt32BE(-1, 0);
        cells.push(head);
        continue;
      }
      const value =
        roll < 0.8
          ? plausibleValue(c.type, rand)
          : Buffer.from(Array.from({ length: Math.floor(rand() * 12) }, () => Math.floor(rand() * 256)));
      head.writeInt32BE(value.length, 0);
      cells.push(head, value);
    }
  }
  const metadata = {
    columnCount: columns.length,
    ...(page.noMetadata ? {} : { columns }),
    ...(page.pagingState !== null ? { pagingState: Buffer.from(page.pagingState) } : {}),
  };
  const body = encodeResponseBody(
    { opcode: Opcode.RESULT, kind: 'rows', metadata, rowCount: page.rows, rowsContent: Buffer.concat(cells) },
    page.version,
  );
  return { body, columns };
}

function decodeRowsFully(body: Buffer, version: ProtocolVersion, cached: readonly ColumnSpec[]): void {
  const message = decodeResponseBody(Opcode.RESULT, body, version);
  if (message.opcode !== Opcode.RESULT || message.kind !== 'rows') return;
  const columns = message.metadata.columns ?? cached;
  // a NO_METADATA page whose count disagrees with the cached columns cannot be read with them
  if (columns.length !== message.metadata.columnCount) return;
  readEveryCell(columns, message.body, message.rowsOffset, message.rowCount);
}

describe('fuzz: RESULT Rows', () => {
  it(
    'random pages (every type, null / plausible / random cells), intact, decode with every cell read or throw a ProtocolError',
    () => {
      const tally = new OutcomeTally('random Rows pages, intact framing');
      fc.assert(
        fc.property(pageArb, (page) => {
          const { body, columns } = buildRowsBody(page);
          tally.add(outcomeOf(() => guard.watch(() => decodeRowsFully(body, page.version, columns))));
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
    'random pages with mutated metadata and cells decode with every cell read or throw a ProtocolError',
    () => {
      const tally = new OutcomeTally('random Rows pages, mutated');
      fc.assert(
        fc.property(pageArb, mutationsArb(4), (page, mutations) => {
          const { body, columns } = buildRowsBody(page);
          const corrupted = mutate(body, mutations);
          tally.add(outcomeOf(() => guard.watch(() => decodeRowsFully(corrupted, page.version, columns))));
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

  it('rows_count and column counts that lie about the bytes are a ProtocolError before any allocation', () => {
    // flags 0x0001 (global table spec), 1 column "a" int, then rows_count 0x7fffffff and 4 bytes of cells
    const body = Buffer.from(
      '00000002' + // kind Rows
        '00000001' + // flags: GLOBAL_TABLES_SPEC
        '00000001' + // columns_count 1
        '00026b73' + // keyspace "ks"
        '000174' + //   table "t"
        '000161' + //   column "a"
        '0009' + //     type int
        '7fffffff' + // rows_count 2^31-1
        '00000004', // one cell length, no more
      'hex',
    );
    const message = decodeResponseBody(Opcode.RESULT, body, 4) as RowsResult;
    expect(message.rowCount).toBe(0x7fffffff);
    guard.reset();
    expect(() =>
      guard.watch(() =>
        decodeRowsPage(
          new RowsShape(message.metadata.columns!),
          body,
          message.rowsOffset,
          body.length,
          message.rowCount,
        ),
      ),
    ).toThrow(ProtocolError);
    expect(guard.largest).toBe(0);
  });

  // Was a bug (indexCells let rows_count × 0 columns pass its byte check): 24 bytes made a page of
  // 2,147,483,647 rows. Input (RESULT body, v4): 00000002 00000001 00000000 0000 0000 7fffffff.
  it('a Rows page of zero columns declaring 2^31-1 rows is a ProtocolError', () => {
    const body = Buffer.from(
      '00000002' + // kind Rows
        '00000001' + // flags: GLOBAL_TABLES_SPEC
        '00000000' + // columns_count 0
        '0000' + //     keyspace ""
        '0000' + //     table ""
        '7fffffff', // rows_count 2^31-1, and no bytes at all for them
      'hex',
    );
    expect(() => {
      const message = decodeResponseBody(Opcode.RESULT, body, 4) as RowsResult;
      decodeRowsPage(new RowsShape(message.metadata.columns!), body, message.rowsOffset, body.length, message.rowCount);
    }).toThrow(ProtocolError);
  });

  // Was a bug: a tuple or UDT value may leave out trailing components (null), so a column typed
  // tuple<int x 65,535> turned every 8-byte cell into a 65,535-element array (a 291 KB page took
  // ~37 s of CPU). Now at most MAX_OMITTED_COMPONENTS may be missing; more is a ProtocolError.
  it('a 4-byte tuple cell of a 65,535-component tuple type is refused, not expanded to 65,535 elements', () => {
    const width = 0xffff;
    const components = Buffer.alloc(2 * width);
    for (let i = 0; i < width; i++) components.writeUInt16BE(0x0009, 2 * i); // each component: int
    const body = Buffer.concat([
      Buffer.from(
        '00000002' + // kind Rows
          '00000001' + // flags: GLOBAL_TABLES_SPEC
          '00000001' + // columns_count 1
          '0000' +
          '0000' + // keyspace "", table ""
          '000161' + //   column "a"
          '0031' + //     type tuple
          'ffff', //       of 65,535 components
        'hex',
      ),
      components,
      Buffer.from(
        '00000001' + // rows_count 1
          '00000004' + // cell: 4 bytes
          'ffffffff', //   component 0 is null; components 1..65,534 are left out
        'hex',
      ),
    ]);
    expect(() => {
      const message = decodeResponseBody(Opcode.RESULT, body, 4) as RowsResult;
      const page = decodeRowsPage(
        new RowsShape(message.metadata.columns!),
        body,
        message.rowsOffset,
        body.length,
        message.rowCount,
      );
      page.cell(0, 0);
    }).toThrow(/Invalid tuple value: it leaves out 65534 of its 65535 components \(at most 1024 may be missing\)/);
  });
});
