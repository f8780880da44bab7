import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import type { Row } from '../../src/protocol/rows/index.js';
import { envelopeMemoryStats } from '../../src/protocol/segment/envelope-memory.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';
import type { Page, ResultStream, SessionStreamOptions } from '../../src/streaming/index.js';

interface WideRow extends Row {
  readonly id: number;
  readonly payload: string;
  readonly raw: Buffer;
}

const ROWS = 3000;
/** 1,000 rows of ~330 bytes: a ~330 KiB page, gathered from several v5 segments. */
const PAGE = 1000;
const QUERY = 'SELECT id, payload, raw FROM recycle.wide';

/** Row i's text: its id spelled out, then a letter repeated, so a row read from the wrong bytes shows. */
function payloadOf(id: number): string {
  return `${id}:`.padEnd(300, String.fromCharCode(97 + (id % 26)));
}
function rawOf(id: number): Buffer {
  const b = Buffer.alloc(16, id & 0xff);
  b.writeInt32BE(id, 0);
  return b;
}

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;

function stream(options: SessionStreamOptions): Promise<ResultStream<WideRow>> {
  return session.executeStream<WideRow>(QUERY, [], options);
}

/** The rows of a new stream of the table, page memory recycled. */
async function recycledRows(): Promise<AsyncIterable<WideRow>> {
  return (await stream({ fetchSize: PAGE })).rows({ recyclePages: true });
}

function expectRow(row: WideRow): void {
  expect(row.payload).toBe(payloadOf(row.id));
  expect(row.raw.equals(rawOf(row.id))).toBe(true);
}

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  cluster = new Cluster({ contactPoints: server.contactPoints, requestTimeoutMs: 5_000 });
  session = await cluster.connect();
  await session.execute(
    "CREATE KEYSPACE recycle WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
  );
  await session.execute('CREATE TABLE recycle.wide (id int PRIMARY KEY, payload text, raw blob)');
  server.load('recycle', 'wide', {
    count: ROWS,
    generate: (i) => ({ id: i, payload: payloadOf(i), raw: rawOf(i) }),
  });
}, 30_000);

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

describe('recyclePages', () => {
  it('is checked before the stream gets a consumer', async () => {
    const s = await stream({ fetchSize: PAGE });
    expect(() => s.rows({ recyclePages: 1 as unknown as boolean })).toThrow(
      new ArgumentError('recyclePages must be true or false, got 1'),
    );
    expect(() => s.pages({ recylcePages: true } as never)).toThrow(
      new ArgumentError('Unknown iteration option "recylcePages"; known options: recyclePages'),
    );
    let n = 0;
    for await (const row of s.rows()) {
      expectRow(row);
      n++;
    }
    expect(n).toBe(ROWS);
  });

  it('every row read while its page is current is right, and later pages are decoded into the memory of earlier ones', async () => {
    const before = { ...envelopeMemoryStats };
    const seen = new Set<number>();
    for await (const row of await recycledRows()) {
      expectRow(row);
      seen.add(row.id);
    }
    expect(seen.size).toBe(ROWS);
    // 3 pages: the first two are given back when the next is handed out; the last stays valid
    expect(envelopeMemoryStats.recycled - before.recycled).toBe(2);
    expect(envelopeMemoryStats.reused - before.reused).toBeGreaterThanOrEqual(1);
  });

  it('a row kept past its page throws an ArgumentError when read, instead of reading a later page', async () => {
    let kept: WideRow | undefined;
    let n = 0;
    for await (const row of await recycledRows()) {
      if (n === 0) {
        kept = row;
        expectRow(kept); // fine while its page is current
      }
      if (++n === PAGE + 1) break; // the first row of page 2: page 1 is recycled
    }
    expect(() => kept!.payload).toThrow(/recyclePages/);
    expect(() => kept!.get('id')).toThrow(ArgumentError);
    expect(() => kept!.toObject()).toThrow(ArgumentError);
  });

  it('the rows of the last page stay valid after the end', async () => {
    let last: WideRow | undefined;
    for await (const row of await recycledRows()) last = row;
    for await (const row of await recycledRows()) expectRow(row);
    expectRow(last!);
  });

  it('the rows of the page in hand when the loop breaks stay valid, whatever runs next', async () => {
    let kept: WideRow | undefined;
    let n = 0;
    for await (const row of await recycledRows()) {
      if (++n === PAGE + 10) {
        kept = row;
        break;
      }
    }
    const id = kept!.id;
    // another recycling stream: it must not be handed the memory of the page the loop stopped in
    let other = 0;
    for await (const row of await recycledRows()) {
      expectRow(row);
      other++;
    }
    expect(other).toBe(ROWS);
    expect(kept!.id).toBe(id);
    expectRow(kept!);
  });

  it('without recyclePages (the default) every row kept stays valid to the end, and nothing is given back', async () => {
    const recycled = envelopeMemoryStats.recycled;
    const kept: WideRow[] = [];
    for await (const row of await stream({ fetchSize: PAGE })) kept.push(row);
    expect(kept.length).toBe(ROWS);
    for (const row of kept) expectRow(row);
    expect(envelopeMemoryStats.recycled).toBe(recycled);
  });

  it('page by page: each page is right while in hand, and its pagingState stays valid after it is recycled', async () => {
    const states: { state: Buffer; hex: string }[] = [];
    const s = await stream({ fetchSize: PAGE });
    let first: Page<WideRow> | undefined;
    for await (const page of s.pages({ recyclePages: true })) {
      for (const row of page) expectRow(row);
      if (page.pagingState !== undefined)
        states.push({ state: page.pagingState, hex: page.pagingState.toString('hex') });
      if (first === undefined) first = page;
      else expect(() => first!.row(0).id).toThrow(ArgumentError); // recycled once page 2 was handed out
    }
    expect(s.pagingState).toBeUndefined();
    // like Cassandra, the server sends a paging state with the last full page (an empty page follows)
    expect(states.length).toBe(3);
    for (const { state, hex } of states) expect(state.toString('hex')).toBe(hex);
    // resuming from the first page's state gives the rows after it
    const resumed: number[] = [];
    for await (const row of await stream({ fetchSize: PAGE, pagingState: states[0]!.state })) resumed.push(row.id);
    expect(resumed.length).toBe(ROWS - PAGE);
  });

  it('toReadable() never recycles: rows buffered in the Readable stay valid', async () => {
    const s = await stream({ fetchSize: PAGE });
    const recycled = envelopeMemoryStats.recycled;
    const kept: WideRow[] = [];
    for await (const row of s.toReadable({ highWaterMark: 64 })) kept.push(row as WideRow);
    expect(kept.length).toBe(ROWS);
    for (const row of kept) expectRow(row);
    expect(envelopeMemoryStats.recycled).toBe(recycled);
  });
});
