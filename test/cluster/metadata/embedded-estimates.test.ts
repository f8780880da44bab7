import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SizeEstimate } from '../../../src/cluster/index.js';
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

describe('primaryRanges: a ring cut at its tokens, the wrapping range split at the minimum token', () => {
  it('splits (last, first] into (last, MIN] and (MIN, first]; a ring token at MIN needs no split', () => {
    expect(primaryRanges([5n, -5n])).toEqual([
      { start: 5n, end: MIN },
      { start: MIN, end: -5n },
      { start: -5n, end: 5n },
    ]);
    expect(primaryRanges([0n, MIN])).toEqual([
      { start: 0n, end: MIN },
      { start: MIN, end: 0n },
    ]);
    expect(primaryRanges([7n])).toEqual([
      { start: 7n, end: MIN },
      { start: MIN, end: 7n },
    ]);
    expect(primaryRanges([3n, 3n, 1n]).length).toBe(3);
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

  it('keeps one row per primary range: 24 ring tokens, the one at -2^63 ending the wrapping range', async () => {
    const estimates = await cluster.metadata.sizeEstimates('est', 't');
    expect(estimates.length).toBe(24);
    expect(estimates[0]!.rangeStart).toBe(MIN);
    expect(estimates[23]!.rangeEnd).toBe(MIN);
    for (let i = 1; i < estimates.length; i++) expect(estimates[i]!.rangeStart).toBe(estimates[i - 1]!.rangeEnd);
    const ring = cluster.metadata.tokenRanges();
    expect(new Set(estimates.map((e) => e.rangeEnd))).toEqual(new Set(ring.map((r) => r.end)));
  });

  it('counts the partitions whose token is in each range, with their mean stored size', async () => {
    const estimates = await cluster.metadata.sizeEstimates('est', 't');
    expect(tokens.length).toBe(300);
    for (const e of estimates) expect(e.partitionsCount).toBe(BigInt(tokens.filter((t) => holds(e, t)).length));
    expect(estimates.reduce((n, e) => n + e.partitionsCount, 0n)).toBe(300n);
    for (const e of estimates) expect(e.meanPartitionSize > 0n).toBe(e.partitionsCount > 0n);
    const bulk = await cluster.metadata.sizeEstimates('est', 'bulk');
    expect(bulk.reduce((n, e) => n + e.partitionsCount, 0n)).toBe(5000n);
    expect(bulk.every((e) => e.meanPartitionSize > 0n)).toBe(true);
    const empty = await cluster.metadata.sizeEstimates('est', 'empty');
    expect(empty.map((e) => [e.partitionsCount, e.meanPartitionSize])).toEqual(estimates.map(() => [0n, 0n]));
  });

  it("table_estimates: 'primary' as size_estimates, 'local_primary' covering the ring once per data center", async () => {
    const rows = (
      await session.execute("SELECT * FROM system.table_estimates WHERE keyspace_name = 'est' AND table_name = 't'")
    ).rows;
    const byType = (type: string) => rows.filter((r) => r.get('range_type') === type);
    const primary = byType('primary');
    const sizeRows = (
      await session.execute("SELECT * FROM system.size_estimates WHERE keyspace_name = 'est' AND table_name = 't'")
    ).rows;
    const cells = (r: (typeof rows)[number]) =>
      ['range_start', 'range_end', 'partitions_count', 'mean_partition_size'].map((c) => r.get(c));
    expect(primary.map(cells)).toEqual(sizeRows.map(cells));
    const local = byType('local_primary');
    // dc1 has 16 tokens (one at -2^63: no split), dc2 8 (its wrapping range split at -2^63)
    expect(local.length).toBe(16 + 9);
    const total = local.reduce((n, r) => n + (r.get('partitions_count') as bigint), 0n);
    expect(total).toBe(600n);
  });

  it('gives [] for an unknown table or keyspace, and bad names are an ArgumentError', async () => {
    expect(await cluster.metadata.sizeEstimates('est', 'nope')).toEqual([]);
    expect(await cluster.metadata.sizeEstimates('nope', 't')).toEqual([]);
    await expect(cluster.metadata.sizeEstimates('est', '')).rejects.toThrow('table must be a non-empty string');
  });
});
