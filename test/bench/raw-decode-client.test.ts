import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchRow, CREATE_KEYSPACE_CQL, createTableCql, KEYSPACE } from '../../bench/bench-table.js';
import type { CqlwireClient } from '../../bench/cqlwire-client.js';
import { connectCqlwire } from '../../bench/cqlwire-client.js';
import { RawDecodeClient } from '../../bench/raw-decode-client.js';
import type { WireConfig } from '../../bench/raw-decode-framing.js';
import {
  crc32,
  frameRequest,
  headerCrc24,
  PAYLOAD_CRC_SEED,
  ResponseFramer,
  WIRE_CONFIGS,
} from '../../bench/raw-decode-framing.js';
import { foldHandedPages, foldHandedRows } from '../../bench/raw-decode-handoff.js';
import type { DecodedBenchRow } from '../../bench/raw-decode-rows.js';
import { foldBenchRows, readRowsHead } from '../../bench/raw-decode-rows.js';
import { foldCqlwireRow } from '../../bench/read-rows.js';
import { childProcessRunners } from '../../bench/stream-bench.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';

const ROWS = 2500;
const QUERY = `SELECT * FROM ${KEYSPACE}.rows LIMIT ${ROWS}`;
let server: EmbeddedServer;
let host: string;

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  server.execute(CREATE_KEYSPACE_CQL);
  server.execute(createTableCql('rows'));
  server.load(KEYSPACE, 'rows', { count: ROWS, generate: benchRow });
  host = server.nodes[0]!.address;
});
afterAll(async () => {
  await server.stop();
});

/** The bench table's cells of one row in result order (id, counter, created_at, name, score); null: a null cell. */
function rowBytes(
  id: number | null,
  counter: bigint | null,
  ms: number | null,
  name: string | null,
  score: number | null,
): Buffer {
  const cell = (b: Buffer | null): Buffer => {
    const len = Buffer.alloc(4);
    len.writeInt32BE(b === null ? -1 : b.length);
    return b === null ? len : Buffer.concat([len, b]);
  };
  const int = Buffer.alloc(4);
  int.writeInt32BE(id ?? 0);
  const big = Buffer.alloc(8);
  big.writeBigInt64BE(counter ?? 0n);
  const ts = Buffer.alloc(8);
  ts.writeBigInt64BE(BigInt(ms ?? 0));
  const dbl = Buffer.alloc(8);
  dbl.writeDoubleBE(score ?? 0);
  return Buffer.concat([
    cell(id === null ? null : int),
    cell(counter === null ? null : big),
    cell(ms === null ? null : ts),
    cell(name === null ? null : Buffer.from(name, 'utf8')),
    cell(score === null ? null : dbl),
  ]);
}

describe('raw+decode row loop', () => {
  it('decodes every cell into plain values, null cells as null, before-1970 dates exactly', () => {
    const page = Buffer.concat([
      rowBytes(7, -5n, -86_400_001, 'héllo', 1.5),
      rowBytes(null, null, null, null, null),
      rowBytes(-1, 2n ** 62n, 1_700_000_000_123, '', -0.25),
    ]);
    const keep: DecodedBenchRow[] = [];
    foldBenchRows(page, 0, page.length, 3, keep);
    expect(keep).toEqual([
      { id: 7, name: 'héllo', counter: -5n, score: 1.5, created_at: new Date(-86_400_001) },
      { id: null, name: null, counter: null, score: null, created_at: null },
      { id: -1, name: '', counter: 2n ** 62n, score: -0.25, created_at: new Date(1_700_000_000_123) },
    ]);
  });

  it('folds like foldCqlwireRow and refuses a row past the page or a cell of the wrong size', () => {
    const page = Buffer.concat([rowBytes(3, 300n, 1000, 'abc', 0.5), rowBytes(4, 400n, 2000, 'de', 0.25)]);
    const expected =
      foldCqlwireRow({ id: 3, name: 'abc', counter: 300n, score: 0.5, created_at: new Date(1000) }) +
      foldCqlwireRow({ id: 4, name: 'de', counter: 400n, score: 0.25, created_at: new Date(2000) });
    expect(foldBenchRows(page, 0, page.length, 2)).toBe(expected);
    expect(() => foldBenchRows(page, 0, page.length - 1, 2)).toThrow('row 1 runs past the page');
    const bad = rowBytes(3, 300n, 1000, 'abc', 0.5);
    bad.writeInt32BE(3, 0);
    expect(() => foldBenchRows(bad, 0, bad.length, 1)).toThrow('int cell of 3 bytes');
  });
});

/** A Rows RESULT envelope (v4 header) with No_metadata, the given paging state and rows. */
function rowsEnvelope(stream: number, pagingState: Buffer | undefined, rows: Buffer[]): Buffer {
  const meta = Buffer.alloc(12);
  meta.writeInt32BE(2, 0); // Rows
  meta.writeInt32BE(0x0004 | (pagingState ? 0x0002 : 0), 4);
  meta.writeInt32BE(5, 8);
  const ps = pagingState ? Buffer.concat([Buffer.from([0, 0, 0, pagingState.length]), pagingState]) : Buffer.alloc(0);
  const count = Buffer.alloc(4);
  count.writeInt32BE(rows.length);
  const body = Buffer.concat([meta, ps, count, ...rows]);
  const header = Buffer.from([0x84, 0, 0, 0, 0x08, 0, 0, 0, 0]);
  header.writeInt16BE(stream, 2);
  header.writeInt32BE(body.length, 5);
  return Buffer.concat([header, body]);
}

describe('raw+decode framing', () => {
  const rows = Array.from({ length: 40 }, (_, i) => rowBytes(i, BigInt(i), i * 1000, `name-${i}`, i / 3));
  const first = rowsEnvelope(5, Buffer.from('abcd'), rows);
  const last = rowsEnvelope(5, undefined, rows.slice(0, 3));
  const expected = foldBenchRows(Buffer.concat(rows), 0, Buffer.concat(rows).length, 40);

  /** Feeds `bytes` in chunks of `size` bytes; returns what the sink saw per envelope. */
  function feed(config: WireConfig, bytes: Buffer, size: number): { rows: number; checksum: number; paging: string }[] {
    const seen: { rows: number; checksum: number; paging: string }[] = [];
    const framer = new ResponseFramer(config, (b, start, end) => {
      const head = readRowsHead(b, start, end);
      seen.push({
        rows: head.rowCount,
        checksum: foldBenchRows(b, head.rowsOffset, end, head.rowCount),
        paging: head.pagingState?.toString() ?? '',
      });
    });
    for (let at = 0; at < bytes.length; at += size) framer.push(bytes.subarray(at, at + size));
    expect(framer.idle).toBe(true);
    return seen;
  }

  it('gathers a v4 page split across chunks of any size into the same envelopes', () => {
    const wire = Buffer.concat([first, last]);
    for (const size of [1, 7, 100, wire.length]) {
      const seen = feed('v4', wire, size);
      expect(seen.map((s) => [s.rows, s.paging])).toEqual([
        [40, 'abcd'],
        [3, ''],
      ]);
      expect(seen[0]!.checksum).toBe(expected);
    }
  });

  /** `envelope` cut into non-self-contained v5 segments of `slice` payload bytes (lz4: stored raw). */
  function slices(config: 'v5' | 'v5-lz4', envelope: Buffer, slice: number): Buffer {
    const out: Buffer[] = [];
    const n = config === 'v5-lz4' ? 5 : 3;
    for (let at = 0; at < envelope.length; at += slice) {
      const payload = envelope.subarray(at, at + slice);
      const head = Buffer.alloc(n + 3);
      head.writeUIntLE(payload.length, 0, 3); // 17-bit length; not self-contained; lz4: uncompressed length 0
      head.writeUIntLE(headerCrc24(head, 0, n), n, 3);
      const trailer = Buffer.alloc(4);
      trailer.writeInt32LE(crc32(payload, PAYLOAD_CRC_SEED) | 0);
      out.push(head, payload, trailer);
    }
    return Buffer.concat(out);
  }

  it('gathers a v5 envelope sliced over segments that are themselves split across chunks', () => {
    for (const config of ['v5', 'v5-lz4'] as const) {
      const wire = Buffer.concat([slices(config, first, 300), frameRequest(config, last)]);
      for (const size of [1, 37, 301, wire.length]) {
        const seen = feed(config, wire, size);
        expect(seen.map((s) => [s.rows, s.paging])).toEqual([
          [40, 'abcd'],
          [3, ''],
        ]);
        expect(seen[0]!.checksum).toBe(expected);
      }
    }
  });

  it('reads v5 segments (self-contained, split across chunks) and refuses a corrupt CRC', () => {
    // frameRequest wraps one envelope in a self-contained segment, whatever its direction
    for (const config of ['v5', 'v5-lz4'] as const) {
      const wire = Buffer.concat([frameRequest(config, first), frameRequest(config, last)]);
      for (const size of [1, 13, wire.length]) {
        const seen = feed(config, wire, size);
        expect(seen.map((s) => [s.rows, s.paging, s.checksum === expected || s.rows === 3])).toEqual([
          [40, 'abcd', true],
          [3, '', true],
        ]);
      }
      const corrupt = Buffer.from(wire);
      corrupt[20]! ^= 1;
      expect(() => feed(config, corrupt, corrupt.length)).toThrow('segment payload CRC32 mismatch');
      const badHeader = Buffer.from(wire);
      badHeader[0]! ^= 1;
      expect(() => feed(config, badHeader, badHeader.length)).toThrow('segment header CRC24 mismatch');
    }
  });
});

describe('raw+decode client against the embedded server', () => {
  let cqlwire: CqlwireClient;
  beforeAll(async () => {
    const loaded = await connectCqlwire(host, server.port);
    if (!loaded.ok) throw new Error(loaded.reason);
    cqlwire = loaded.client;
  });
  afterAll(async () => {
    await cqlwire.close();
  });

  it.each(WIRE_CONFIGS)('%s: every row, pipelined page by page, with the checksum cqlwire computes', async (config) => {
    const reference = await cqlwire.stream!(QUERY, 1000);
    const client = await RawDecodeClient.connect(host, server.port, config);
    try {
      // 1000 rows per page: 3 pages; 2500 in one page (v5: an envelope split across segments)
      for (const fetchSize of [1000, 5000]) {
        const got = await client.stream(QUERY, fetchSize);
        expect([got.rows, got.pages]).toEqual([ROWS, fetchSize === 1000 ? 3 : 1]);
        // summed page by page here, row by row in cqlwire: equal up to rounding
        expect(got.checksum).toBeCloseTo(reference.checksum, 6);
      }
    } finally {
      client.close();
    }
  });
});

describe('raw+decode behind the shapes of cqlwire consumers', () => {
  it.each([
    ['a page per await', foldHandedPages],
    ['a for-await iterator', foldHandedRows],
  ] as const)('handed out by %s: every row, with the bound checksum', async (_shape, fold) => {
    const client = await RawDecodeClient.connect(host, server.port, 'v5');
    const bound = await RawDecodeClient.connect(host, server.port, 'v5');
    try {
      for (const fetchSize of [1000, 5000]) {
        const reference = await bound.stream(QUERY, fetchSize);
        const got = await fold(client, QUERY, fetchSize);
        expect(got.rows).toBe(ROWS);
        expect(got.checksum).toBeCloseTo(reference.checksum, 6);
      }
      // the connection is free again for the bound's own loop
      expect((await client.stream(QUERY, 1000)).rows).toBe(ROWS);
    } finally {
      client.close();
      bound.close();
    }
  });

  it('a stream that fails reaches the consumer as its error, not as a hang', async () => {
    const client = await RawDecodeClient.connect(host, server.port, 'v5');
    try {
      const query = `SELECT * FROM ${KEYSPACE}.no_such_table`;
      await expect(foldHandedRows(client, query, 1000)).rejects.toThrow(/no_such_table|unconfigured|server error/i);
      await expect(foldHandedPages(client, query, 1000)).rejects.toThrow(/no_such_table|unconfigured|server error/i);
    } finally {
      client.close();
    }
  });
});

describe('cqlwire consumers of the stream part', () => {
  it.each(WIRE_CONFIGS)('%s: rows, pages() and toReadable() read the same rows and cells', async (config) => {
    const loaded = await connectCqlwire(host, server.port, config);
    if (!loaded.ok) throw new Error(loaded.reason);
    const c = loaded.client;
    try {
      expect(c.protocolVersion).toBe(config === 'v4' ? 4 : 5);
      const rows = await c.stream!(QUERY, 1000);
      expect(rows.rows).toBe(ROWS);
      expect(await c.streamPages!(QUERY, 1000)).toEqual(rows);
      expect(await c.streamReadable!(QUERY, 5000)).toEqual(rows);
    } finally {
      await c.close();
    }
  });
});

describe('the stream part with each contestant in a process of its own', () => {
  it('runs a contestant in its child, with the rows, the checksum and the CPU per row measured there', async () => {
    const contestants = [
      { kind: 'rawDecode', config: 'v5' },
      { kind: 'cqlwirePages', config: 'v4' },
      { kind: 'rawLengths', config: 'v5' },
    ] as const;
    const lines: string[] = [];
    const children = await childProcessRunners(host, server.port, contestants, (line) => lines.push(line));
    try {
      expect(lines).toEqual([]);
      expect(children.cqlwireStreamVia).toBe('session.executeStream');
      const [decoded, pages, lengths] = await Promise.all(children.runners.map((run) => run!(QUERY, 1000)));
      expect([decoded!.rows, pages!.rows, lengths!.rows]).toEqual([ROWS, ROWS, ROWS]);
      expect(pages!.checksum).toBeCloseTo(decoded!.checksum, 6);
      // the lengths-only client reads no values: NaN, which crosses IPC as null
      expect(lengths!.checksum).toBeNaN();
      for (const figures of [decoded!, pages!, lengths!]) {
        expect(figures.seconds).toBeGreaterThan(0);
        expect(figures.cpuNsPerRow).toBeGreaterThan(0);
      }
    } finally {
      await children.close();
    }
  }, 60_000);
});
