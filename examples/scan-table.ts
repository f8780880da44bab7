/**
 * Whole-table scans: every row of a table read as token ranges in parallel, each from a replica
 * of its range; progress, pages with their range, an exact checkpoint to resume from, and shards
 * that split one scan between several processes.
 *
 *   npx tsx examples/scan-table.ts                      # against an embedded server
 *   CQLWIRE_CONTACT_POINTS=10.0.0.5 npx tsx examples/scan-table.ts
 */

import type { Row, ScanCheckpoint } from '../src/index.js';
import { StreamError } from '../src/index.js';
import { exampleCluster } from './support/example-cluster.js';

interface User extends Row {
  readonly id: number;
  readonly active: boolean;
}

const { session, rows, close } = await exampleCluster();
try {
  // 1. Every row once, 4 ranges in flight; rows of different ranges interleave.
  const scan = await session.scanTable<User>('examples.users', { columns: ['id', 'active'], concurrency: 4 });
  let active = 0;
  for await (const user of scan) if (user.active) active++;
  const { rangesTotal, rangesDone, rowsFetched } = scan.progress;
  console.log(`scan: ${rowsFetched} users, ${active} active, ${rangesDone}/${rangesTotal} ranges`);

  // 2. Page by page: each page says which token range (start exclusive, end inclusive) it is from.
  const byRange = new Map<string, number>();
  for await (const page of (await session.scanTable('examples.users', { fetchSize: 500 })).pages()) {
    const key = `${page.range.start}..${page.range.end}`;
    byRange.set(key, (byRange.get(key) ?? 0) + page.length);
  }
  const counted = [...byRange.values()].reduce((a, b) => a + b, 0);
  console.log(`pages: ${counted} rows from ${byRange.size} token ranges`);

  // 3. Stop anywhere, keep the checkpoint (plain JSON, e.g. in a file), resume later: no row twice, none lost.
  const ids = new Set<number>();
  const first = await session.scanTable<User>('examples.users', { columns: ['id'], fetchSize: 100 });
  for await (const user of first) {
    ids.add(user.id);
    if (ids.size === 500) break;
  }
  const saved = JSON.stringify(first.checkpoint());
  const checkpoint = JSON.parse(saved) as ScanCheckpoint;
  const rest = await session.scanTable<User>('examples.users', { columns: ['id'], fetchSize: 100, checkpoint });
  let again = 0;
  for await (const user of rest) {
    if (ids.has(user.id)) again++;
    ids.add(user.id);
  }
  console.log(`resume: stopped after 500 rows, resumed for ${ids.size - 500} more, ${again} read twice`);

  // 4. Shards: three workers (here in one process) each scan a third of the ranges; together, the table.
  const shards = await Promise.all(
    [0, 1, 2].map(async (index) => {
      const part = await session.scanTable('examples.users', { columns: ['id'], shard: { index, count: 3 } });
      let n = 0;
      for await (const _row of part) n++;
      return n;
    }),
  );
  console.log(`shards: ${shards.reduce((a, b) => a + b, 0)} rows in 3 shards (of ${rows})`);

  // 5. A failed scan ends with a StreamError whose checkpoint resumes it.
  const controller = new AbortController();
  const stopped = await session.scanTable('examples.users', { signal: controller.signal, fetchSize: 100 });
  let seen = 0;
  try {
    for await (const _row of stopped) if (++seen === 250) controller.abort(new Error('time is up'));
  } catch (error) {
    if (!(error instanceof StreamError) || error.checkpoint === undefined) throw error;
    const resumed = await session.scanTable('examples.users', { fetchSize: 100, checkpoint: error.checkpoint });
    for await (const _row of resumed) seen++;
    console.log(`abort: StreamError after 250 rows (${String(error.cause)}), resumed: ${seen} rows in all`);
  }
} finally {
  await close();
}
