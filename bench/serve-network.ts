/**
 * The embedded server's network side alone:
 * `npx tsx bench/serve-network.ts [rows=1000000] [pageSize=5000] [none|lz4] [rounds=3]`.
 *
 * Like the `serve` part of `npm run bench`, a raw socket client in a process of its own pulls
 * `SELECT *` page by page and reports rows/s; but the data side is a stand-in that hands out one
 * pre-built page of the benchmark table's five columns every time, so the figure is what framing,
 * RESULT encoding and socket writes cost, with no store behind them. The gap to the `serve` part
 * is the data side's share.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Opcode } from '../src/protocol/envelope/index.js';
import type { ColumnSpec } from '../src/protocol/messages/index.js';
import type { ExecutionResult } from '../src/server/execution/index.js';
import { rowsPage } from '../src/server/execution/index.js';
import type { Backend, PreparedShape } from '../src/server/net/backend.js';
import { startServerWithBackend } from '../src/server/net/embedded-server.js';
import { serveTable } from './report.js';
import type { ServeResult } from './serve-bench.js';
import { runServeInChild } from './serve-bench.js';

const TABLE = 'bench.canned';

/**
 * A data side that answers every statement with the same `pageSize` rows, and a paging state
 * (the next page's number, 4 bytes) until `rows` rows were handed out.
 */
export function cannedBackend(rows: number, pageSize: number): Backend<PreparedShape> {
  const page: Buffer[] = [];
  for (let i = 0; i < pageSize; i++) {
    const name = Buffer.from(`name-${i}`);
    // id int, at timestamp, big bigint, name text, score double: each cell an [int] length then the value
    const b = Buffer.alloc(5 * 4 + 4 + 8 + 8 + name.length + 8);
    let p = b.writeInt32BE(4, 0);
    p = b.writeInt32BE(i, p);
    p = b.writeInt32BE(8, p) + 8;
    p = b.writeInt32BE(8, p) + 8;
    p = b.writeInt32BE(name.length, p);
    p += name.copy(b, p);
    b.writeInt32BE(8, p);
    page.push(b);
  }
  const columns: ColumnSpec[] = (['id:int', 'at:timestamp', 'big:bigint', 'name:text', 'score:double'] as const).map(
    (c) => {
      const [name, kind] = c.split(':') as [string, 'int' | 'timestamp' | 'bigint' | 'text' | 'double'];
      return { keyspace: 'bench', table: 'canned', name, type: { kind } };
    },
  );
  const pages = Math.ceil(rows / pageSize);
  return {
    execute: (_query, _prepared, _values, options): ExecutionResult => {
      const n = options.pagingState === undefined ? 0 : options.pagingState.readInt32BE(0);
      if (n + 1 >= pages) return rowsPage(columns, pageSize, page);
      const next = Buffer.alloc(4);
      next.writeInt32BE(n + 1, 0);
      return rowsPage(columns, pageSize, page, next);
    },
    prepare: () => {
      throw new Error('the canned data side prepares nothing');
    },
    batch: () => ({ opcode: Opcode.RESULT, kind: 'void' }),
    onSchemaChange: () => () => undefined,
    schemaVersion: () => Buffer.alloc(16),
  };
}

/**
 * Serves `rows` rows (rounded up to whole pages: the client checks it read exactly that many)
 * from the canned data side to a raw client in a process of its own.
 */
export async function serveNetwork(
  rowsWanted: number,
  pageSize: number,
  compression: 'none' | 'lz4',
  rounds: number,
): Promise<ServeResult> {
  const rows = Math.ceil(rowsWanted / pageSize) * pageSize;
  const server = await startServerWithBackend({ port: 0 }, cannedBackend(rows, pageSize));
  try {
    const node = server.nodes[0]!;
    return await runServeInChild(node.address, node.port, TABLE, rows, pageSize, rounds, compression);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const [rowsText, pageSizeText, compressionText, roundsText] = process.argv.slice(2);
  const s = await serveNetwork(
    Number(rowsText ?? 1_000_000),
    Number(pageSizeText ?? 5000),
    compressionText === 'lz4' ? 'lz4' : 'none',
    Number(roundsText ?? 3),
  );
  process.stdout.write(`network side alone (canned data side)\n${serveTable(s)}\n`);
}

// Run as a script (not when a test imports it).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
