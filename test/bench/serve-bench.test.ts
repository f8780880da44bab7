import { describe, expect, it } from 'vitest';
import { runServeInChild } from '../../bench/serve-bench.js';
import { startEmbeddedServer } from '../../src/server/index.js';

describe('the serve part', () => {
  it('pulls the table from a child process, page by page, and reports what it measured', async () => {
    const server = await startEmbeddedServer({ port: 0 });
    try {
      server.execute("CREATE KEYSPACE sb WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      server.execute('CREATE TABLE sb.t (id int PRIMARY KEY, name text)');
      server.load('sb', 't', { count: 12_000, generate: (i: number) => ({ id: i, name: `n${i}` }) });
      const [host, port] = server.contactPoints[0]!.split(':') as [string, string];
      const r = await runServeInChild(host, Number(port), 'sb.t', 12_000, 5000, 2);
      expect(r.rowsPerRound).toBe(12_000);
      expect(r.pageSize).toBe(5000);
      expect(r.rounds).toHaveLength(2);
      expect(r.rounds.every((x) => x > 0)).toBe(true);
      expect(r.rowsPerSecond).toBeGreaterThan(0);
      expect(r.cellMegabytesPerSecond).toBeGreaterThan(0);
      expect(r.compression).toBe('none');
      // The same over lz4 segments: every row arrives, decompressed by the client's framing.
      const lz4 = await runServeInChild(host, Number(port), 'sb.t', 12_000, 5000, 1, 'lz4');
      expect(lz4.compression).toBe('lz4');
      expect(lz4.rounds).toHaveLength(1);
      expect(lz4.rowsPerRound).toBe(12_000);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('reports a failing pull as an error, not a hang', async () => {
    const server = await startEmbeddedServer({ port: 0 });
    try {
      const [host, port] = server.contactPoints[0]!.split(':') as [string, string];
      await expect(runServeInChild(host, Number(port), 'nosuch.t', 1000, 500, 1)).rejects.toThrow(
        /server error 0x2200/,
      );
    } finally {
      await server.stop();
    }
  }, 60_000);
});
