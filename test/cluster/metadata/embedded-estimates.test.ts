import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSizeEstimates, type SizeEstimate } from '../../../src/cluster/index.js';
import { toCqlTypeString } from '../../../src/protocol/types/index.js';
import { primaryRanges } from '../../../src/server/execution/size-estimates.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../../src/server/index.js';
import { Cluster, type Session } from '../../../src/session/index.js';
import { loadFixture, SCAN_FIXTURE_DIR } from '../../support/fixtures.js';

const MIN = -(2n ** 63n);

/** The column list Cassandra 5.0.2 answered for `SELECT *` on `table` (the recording's own words). */
function recordedColumns(table: 'size_estimates' | 'table_estimates'): string[] {
  const f = loadFixture('5.0.2-estimates-v5', SCAN_FIXTURE_DIR);
  const x = f.expect.exchanges.find((e) => e.request.query === `SELECT * FROM system.${table}`);
  return (x?.response.columns as string[]).map((c) => c.replace(/varchar/g, 'text'));
}

/** True when `token` is in (start, end], `end = MIN` meaning the end of the ring. */
function holds(e: SizeEstimate, token: bigint): boolean {
  return token > e.rangeStart && (e.rangeEnd === MIN || token <= e.rangeEnd);
}

describe("primaryRanges: a node's ranges, the wrapping one split at the minimum token", () => {
  const ring = [5n, -5n, 20n];
  it('gives (previous ring token, token] per own token; (last, first] becomes (last, MIN] and (MIN, first]', () => {
    expect(primaryRanges(ring, new Set([-5n]))).toEqual([
      { start: 20n, end: MIN },
      { start: MIN, end: -5n },
    ]);
    expect(primaryRanges(ring, new Set([5n, 20n]))).toEqual([
      { start: -5n, end: 5n },
      { start: 5n, end: 20n },
    ]);
    expect(primaryRanges(ring, new Set(ring)).length).toBe(4);
  });

  it('does not split a range ending at a ring token at MIN; one ring token owns the whole ring', () => {
    expect(primaryRanges([0n, MIN], new Set([MIN, 0n]))).toEqual([
      { start: 0n, end: MIN },
      { start: MIN, end: 0n },
    ]);
    expect(primaryRanges([7n], new Set([7n]))).toEqual([
      { start: 7n, end: MIN },
      { start: MIN, end: 7n },
    ]);
    expect(primaryRanges([3n, 3n, 1n], new Set([1n, 3n])).length).toBe(3);
    expect(primaryRanges([3n, 1n], new Set([9n]))).toEqual([]);
  });
});

describe('system.size_estimates and system.table_estimates on the embedded server', () => {
  let server: EmbeddedServer;
  let cluster: Cluster;
  let session: Session;
  const tokens: bigint[] = [];

  beforeAll(async () => {
    server = await startEmbeddedServer({ nodes: 3, tokensPerNode: 8, dataCenter: ['dc1', 'dc1', 'dc2'] });
    server.execute("CREATE KEYSPACE est WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    server.execute('CREATE TABLE est.t (k int, c int, v text, PRIMARY KEY (k, c))');
    server.execute('CREATE TABLE est.bulk (k int PRIMARY KEY, v text)');
    server.execute('CREATE TABLE est.empty (k int PRIMARY KEY)');
    cluster = new Cluster({ contactPoints: server.contactPoints });
    session = await cluster.connect();
    for (let k = 0; k < 300; k++) {
      for (let c = 0; c < 1 + (k % 3); c++) {
        await session.execute('INSERT INTO est.t (k, c, v) VALUES (?, ?, ?)', [k, c, `value ${k}`], { prepare: true });
      }
    }
    server.load('est', 'bulk', { count: 5000, generate: (i) => ({ k: i, v: `row ${i}` }) });
    for (const row of (await session.execute('SELECT DISTINCT token(k) FROM est.t')).rows)
      tokens.push(row.get(0) as bigint);
  });

  afterAll(async () => {
    await cluster?.shutdown();
    await server?.stop();
  });

  it('has the columns and types Cassandra 5.0.2 answers, in the same order', async () => {
    for (const table of ['size_estimates', 'table_estimates'] as const) {
      const rs = await session.execute(`SELECT * FROM system.${table}`);
      expect(rs.columns.map((c) => `system.${table}.${c.name} ${toCqlTypeString(c.type)}`)).toEqual(
        recordedColumns(table),
      );
    }
  });

  /** What node `index` answers for est.t (a query sent to it first). */
  async function estimatesOfNode(index: number): Promise<SizeEstimate[]> {
    const host = cluster.hosts.find((h) => h.address === `127.0.0.${index + 1}`)!;
    const { page, coordinator } = await session.fetchPage(
      "SELECT * FROM system.size_estimates WHERE keyspace_name = 'est' AND table_name = 't'",
      [],
      { hostHint: host },
    );
    expect(coordinator).toBe(host);
    return parseSizeEstimates(page.rows.map((r) => r.toObject()));
  }

  it("each node lists its own primary ranges; the control node's come through cluster.metadata", async () => {
    const ring = cluster.metadata.tokenRanges();
    expect(ring.length).toBe(24);
    const fromControl = await cluster.metadata.sizeEstimates('est', 't');
    // node 0 holds the token -2^63: its 8 ranges need no split
    expect(fromControl).toEqual(await estimatesOfNode(0));
    expect(fromControl.map((e) => e.rangeEnd).sort()).toEqual(
      ring
        .filter((r) => r.replicas[0]?.address === '127.0.0.1')
        .map((r) => r.end)
        .sort(),
    );
    const all = [...fromControl, ...(await estimatesOfNode(1)), ...(await estimatesOfNode(2))];
    expect(all.length).toBe(24);
    expect(new Set(all.map((e) => e.rangeEnd))).toEqual(new Set(ring.map((r) => r.end)));
    for (const e of all) expect(ring.some((r) => r.start === e.rangeStart && r.end === e.rangeEnd)).toBe(true);
  });

  it('counts the partitions whose token is in each range, with their mean stored size', async () => {
    const estimates = [...(await estimatesOfNode(0)), ...(await estimatesOfNode(1)), ...(await estimatesOfNode(2))];
    expect(tokens.length).toBe(300);
    for (const e of estimates) expect(e.partitionsCount).toBe(BigInt(tokens.filter((t) => holds(e, t)).length));
    expect(estimates.reduce((n, e) => n + e.partitionsCount, 0n)).toBe(300n);
    for (const e of estimates) expect(e.meanPartitionSize > 0n).toBe(e.partitionsCount > 0n);
    const bulk = await cluster.metadata.sizeEstimates('est', 'bulk');
    const bulkTotal = bulk.reduce((n, e) => n + e.partitionsCount, 0n);
    expect(bulkTotal > 1000n && bulkTotal < 2500n).toBe(true); // about a third of 5000
    expect(bulk.every((e) => e.meanPartitionSize > 0n)).toBe(true);
    const empty = await cluster.metadata.sizeEstimates('est', 'empty');
    expect(empty.map((e) => [e.partitionsCount, e.meanPartitionSize])).toEqual(bulk.map(() => [0n, 0n]));
  });

  it('one node with one token (the embedded ring puts it at -2^63): one range (MIN, MIN], the whole ring', async () => {
    const one = await startEmbeddedServer({ tokensPerNode: 1 });
    try {
      one.execute("CREATE KEYSPACE w WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      one.execute('CREATE TABLE w.t (k int PRIMARY KEY)');
      for (let k = 0; k < 50; k++) one.execute(`INSERT INTO w.t (k) VALUES (${k})`);
      const c = new Cluster({ contactPoints: one.contactPoints });
      try {
        await c.connect();
        const [range] = c.metadata.tokenRanges();
        expect(range?.start).toBe(MIN); // the single token is -2^63 itself: (MIN, MIN] is the whole ring
        const estimates = await c.metadata.sizeEstimates('w', 't');
        expect(estimates).toEqual([
          { rangeStart: MIN, rangeEnd: MIN, partitionsCount: 50n, meanPartitionSize: estimates[0]!.meanPartitionSize },
        ]);
      } finally {
        await c.shutdown();
      }
    } finally {
      await one.stop();
    }
  });

  it("table_estimates: 'primary' as size_estimates, 'local_primary' within the node's data center", async () => {
    const node0 = cluster.hosts.find((h) => h.address === '127.0.0.1')!;
    const rowsFrom = async (table: string) =>
      (
        await session.fetchPage(`SELECT * FROM system.${table} WHERE keyspace_name = 'est' AND table_name = 't'`, [], {
          hostHint: node0,
        })
      ).page.rows;
    const rows = await rowsFrom('table_estimates');
    const byType = (type: string) => rows.filter((r) => r.get('range_type') === type);
    const primary = byType('primary');
    const sizeRows = await rowsFrom('size_estimates');
    const cells = (r: (typeof rows)[number]) =>
      ['range_start', 'range_end', 'partitions_count', 'mean_partition_size'].map((c) => r.get(c));
    expect(primary.map(cells)).toEqual(sizeRows.map(cells));
    const local = byType('local_primary');
    // node 0 (dc1, with node 1: 16 tokens, one at -2^63) has 8 ranges within its data center
    expect(local.length).toBe(8);
    const ends = local.map((r) => BigInt(r.get('range_end') as string));
    expect(ends.sort()).toEqual(primary.map((r) => BigInt(r.get('range_end') as string)).sort());
    // within dc1 each range of node 0 reaches back to the previous dc1 token: wider than its primary range
    const width = (rows: typeof local) =>
      rows.reduce((n, r) => {
        const start = BigInt(r.get('range_start') as string);
        const end = BigInt(r.get('range_end') as string);
        return n + (end === MIN ? 2n ** 63n - start : end - start);
      }, 0n);
    expect(width(local) > width(primary)).toBe(true);
  });

  it('gives [] for an unknown table or keyspace, and bad names are an ArgumentError', async () => {
    expect(await cluster.metadata.sizeEstimates('est', 'nope')).toEqual([]);
    expect(await cluster.metadata.sizeEstimates('nope', 't')).toEqual([]);
    await expect(cluster.metadata.sizeEstimates('est', '')).rejects.toThrow('table must be a non-empty string');
  });
});
