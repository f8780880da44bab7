import { expect, it } from 'vitest';
import { Cluster, InvalidRequestError, type Row, type Session, StreamError } from '../../src/index.js';
import type { ScenarioContext } from './conformance-scenarios.js';

const PARTITIONS = 20;
const PER_PARTITION = 250;
const TOTAL = PARTITIONS * PER_PARTITION;
const FETCH = 300;

/** `p:c` of a row of the streaming table. */
function idOf(row: Row): string {
  return `${String(row.get('p'))}:${String(row.get('c'))}`;
}

/** Duplicates among `ids` and how many distinct ids there are. */
function tally(ids: readonly string[]): { distinct: number; duplicates: string[] } {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) duplicates.push(id);
    seen.add(id);
  }
  return { distinct: seen.size, duplicates };
}

/**
 * The streaming scenarios (docs/architecture.md "Streaming semantics") run with `session.executeStream`
 * against a real Cassandra: a 5,000-row table over 20 partitions, read as rows and as pages, every
 * row exactly once; maxPages and resuming from the paging state; a prepared single-partition
 * stream in clustering order; cancelling by `break` and by `cancel()`; a server error mid-stream
 * as a `StreamError` whose cause is the typed server error.
 */
export function streamingScenarios(context: () => ScenarioContext): void {
  let cluster: Cluster;
  let session: Session;
  const table = 'cw_streaming.big';

  it(`loads ${TOTAL} rows over ${PARTITIONS} partitions`, async () => {
    const { cassandra } = context();
    cluster = new Cluster({
      contactPoints: [cassandra.contactPoint],
      localDataCenter: 'datacenter1',
      requestTimeoutMs: 30_000,
    });
    session = await cluster.connect();
    await session.execute(
      "CREATE KEYSPACE cw_streaming WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    );
    await session.execute(`CREATE TABLE ${table} (p int, c int, v text, PRIMARY KEY (p, c))`);
    const insert = await session.prepare(`INSERT INTO ${table} (p, c, v) VALUES (?, ?, ?)`);
    for (let p = 0; p < PARTITIONS; p++) {
      await Promise.all(Array.from({ length: PER_PARTITION }, (_, c) => session.execute(insert, [p, c, `v${p}-${c}`])));
    }
    const count = await session.execute(`SELECT COUNT(*) FROM ${table}`);
    expect(count.first()?.get(0)).toBe(BigInt(TOTAL));
  });

  it(`streams every row exactly once in ${FETCH}-row pages, with one pageCallback per page and running totals`, async () => {
    const calls: [number, number][] = [];
    const result = await session.executeStream(`SELECT p, c, v FROM ${table}`, [], {
      fetchSize: FETCH,
      pageCallback: (pageNumber, totalRows) => void calls.push([pageNumber, totalRows]),
    });
    const ids: string[] = [];
    const wrongValues: string[] = [];
    for await (const row of result) {
      ids.push(idOf(row));
      if (row.get('v') !== `v${String(row.get('p'))}-${String(row.get('c'))}`) wrongValues.push(idOf(row));
    }
    expect(tally(ids)).toEqual({ distinct: TOTAL, duplicates: [] });
    expect(wrongValues).toEqual([]);
    const pages = Math.ceil(TOTAL / FETCH);
    expect(calls).toEqual(Array.from({ length: pages }, (_, k) => [k + 1, Math.min(TOTAL, (k + 1) * FETCH)]));
    expect(result.pageNumber).toBe(pages);
    expect(result.totalRowsFetched).toBe(TOTAL);
    expect(result.pagingState ?? undefined).toBeUndefined();
  });

  it('pages() hands out full pages and a short last one', async () => {
    const result = await session.executeStream(`SELECT p, c FROM ${table}`, [], { fetchSize: FETCH });
    const lengths: number[] = [];
    const ids: string[] = [];
    for await (const page of result.pages()) {
      lengths.push(page.length);
      for (const row of page) ids.push(idOf(row));
    }
    const full = Math.floor(TOTAL / FETCH);
    expect(lengths).toEqual([...Array.from({ length: full }, () => FETCH), TOTAL - full * FETCH]);
    expect(tally(ids)).toEqual({ distinct: TOTAL, duplicates: [] });
  });

  it('maxPages stops after exactly that many pages, and resuming from its pagingState reads the rest, nothing twice', async () => {
    const first = await session.executeStream(`SELECT p, c FROM ${table}`, [], { fetchSize: FETCH, maxPages: 3 });
    const ids: string[] = [];
    for await (const row of first) ids.push(idOf(row));
    expect(first.pageNumber).toBe(3);
    expect(ids.length).toBe(3 * FETCH);
    const state = first.pagingState;
    expect(Buffer.isBuffer(state)).toBe(true);
    const rest = await session.executeStream(`SELECT p, c FROM ${table}`, [], {
      fetchSize: FETCH,
      pagingState: state!,
    });
    for await (const row of rest) ids.push(idOf(row));
    expect(tally(ids)).toEqual({ distinct: TOTAL, duplicates: [] });
  });

  it('a prepared single-partition stream yields that partition in clustering order', async () => {
    const stmt = await session.prepare(`SELECT c FROM ${table} WHERE p = ?`);
    const result = await session.executeStream(stmt, [7], { fetchSize: 60 });
    const cs: unknown[] = [];
    for await (const row of result) cs.push(row.get('c'));
    expect(cs).toEqual(Array.from({ length: PER_PARTITION }, (_, c) => c));
    expect(result.pageNumber).toBe(Math.ceil(PER_PARTITION / 60));
  });

  it('break after 450 rows leaves the stream at page 5 with the state after page 4; resuming there reads the rest exactly once', async () => {
    const result = await session.executeStream(`SELECT p, c FROM ${table}`, [], { fetchSize: 100, prefetchPages: 1 });
    const ids: string[] = [];
    for await (const row of result) {
      ids.push(idOf(row));
      if (ids.length === 450) break;
    }
    expect(result.totalRowsFetched).toBe(450);
    expect(result.pageNumber).toBe(5);
    expect(result.rowsPastPagingState).toBe(50);
    const state = result.pagingState;
    expect(Buffer.isBuffer(state)).toBe(true);
    result.cancel(); // cancelling a stream that already stopped is harmless
    // the paging state is the one after the last fully delivered page (4): resume from row 400
    const rest = await session.executeStream(`SELECT p, c FROM ${table}`, [], { fetchSize: 100, pagingState: state! });
    const resumed: string[] = [];
    for await (const row of rest) resumed.push(idOf(row));
    expect(resumed.slice(0, 50)).toEqual(ids.slice(400));
    expect(tally([...ids.slice(0, 400), ...resumed])).toEqual({ distinct: TOTAL, duplicates: [] });
    // and the session is still usable
    const count = await session.execute(`SELECT COUNT(*) FROM ${table} WHERE p = 3`);
    expect(count.first()?.get(0)).toBe(BigInt(PER_PARTITION));
  });

  it('cancel() during iteration ends the stream at once, without an error', async () => {
    const result = await session.executeStream(`SELECT p, c FROM ${table}`, [], { fetchSize: 100 });
    const ids: string[] = [];
    for await (const row of result) {
      ids.push(idOf(row));
      if (ids.length === 150) result.cancel();
    }
    expect(ids.length).toBe(150);
    expect(result.totalRowsFetched).toBe(150);
    result.cancel();
  });

  it('a server error mid-stream is a StreamError whose cause is the typed server error, with nothing fetched', async () => {
    const result = await session.executeStream('SELECT * FROM cw_streaming.no_such_table', [], { fetchSize: 100 });
    const rows: Row[] = [];
    const error = await (async () => {
      for await (const row of result) rows.push(row);
    })().catch((e: unknown) => e);
    expect(rows).toEqual([]);
    expect(error).toBeInstanceOf(StreamError);
    const streamError = error as StreamError;
    expect(streamError.cause).toBeInstanceOf(InvalidRequestError);
    expect((streamError.cause as InvalidRequestError).code).toBe(0x2200);
    expect(streamError.totalRowsFetched).toBe(0);
  });

  it('shuts down cleanly', async () => {
    await cluster.shutdown();
  });
}
