import { describe, expect, it } from 'vitest';
import { cannedBackend, serveNetwork } from '../../bench/serve-network.js';
import type { ExecutionResult, RowsPage } from '../../src/server/execution/index.js';

function rows(r: ExecutionResult): RowsPage {
  if (r.kind !== 'rows') throw new Error(`expected rows, got ${r.kind}`);
  return r;
}

describe('the network-side serve benchmark (canned data side)', () => {
  it('hands out the same page every time, with the next page number as paging state until the last', () => {
    const backend = cannedBackend(15_000, 5000);
    const query = 'SELECT * FROM bench.canned';
    const options = { keyspace: undefined, consistency: 1 };
    const first = rows(backend.execute(query, undefined, [], options));
    expect(first.rowCount).toBe(5000);
    expect(first.metadata.columns.map((c) => c.name)).toEqual(['id', 'at', 'big', 'name', 'score']);
    expect(first.metadata.pagingState?.toString('hex')).toBe('00000001');
    const second = rows(
      backend.execute(query, undefined, [], { ...options, pagingState: first.metadata.pagingState! }),
    );
    expect(second.metadata.pagingState?.toString('hex')).toBe('00000002');
    expect(second.rowsContent).toBe(first.rowsContent);
    const last = rows(backend.execute(query, undefined, [], { ...options, pagingState: second.metadata.pagingState! }));
    expect(last.rowCount).toBe(5000);
    expect(last.metadata.pagingState).toBeUndefined();
  });

  it('a raw client in its own process reads every row, rounded up to whole pages', async () => {
    const r = await serveNetwork(9000, 5000, 'none', 1);
    expect(r.rowsPerRound).toBe(10_000);
    expect(r.pageSize).toBe(5000);
    expect(r.rounds).toHaveLength(1);
    expect(r.rowsPerSecond).toBeGreaterThan(0);
  }, 60_000);
});
