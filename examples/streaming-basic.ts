/**
 * Streaming basics, the seed's sections in TypeScript: rows, prepared statements with parameters,
 * pages, maxPages, progress callbacks, cancelling, and streaming statements.
 *
 *   npx tsx examples/streaming-basic.ts                      # against an embedded server
 *   CQLWIRE_CONTACT_POINTS=10.0.0.5 npx tsx examples/streaming-basic.ts
 */

import type { Row } from '../src/index.js';
import { Consistency, createStreamingStatement, StreamError } from '../src/index.js';
import { exampleCluster } from './support/example-cluster.js';

/** Typed rows: `executeStream<User>()` yields rows with these getters. */
interface User extends Row {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly score: number;
  readonly active: boolean;
  readonly created_at: Date;
}

const { session, rows, close } = await exampleCluster();
try {
  // 1. Basic streaming: rows arrive page by page; memory holds about two pages, whatever the table size.
  const result = await session.executeStream<User>('SELECT * FROM examples.users', [], { fetchSize: 1000 });
  let active = 0;
  for await (const user of result) {
    if (user.active) active++;
  }
  console.log(`basic: ${result.totalRowsFetched} users in ${result.pageNumber} pages, ${active} active`);

  // 2. A prepared statement with parameters (typed, routed to a replica of the partition).
  const bySensor = await session.prepare('SELECT sensor, seq, value FROM examples.readings WHERE sensor = ?');
  let sum = 0;
  const readings = await session.executeStream(bySensor, ['s2'], { fetchSize: 500 });
  for await (const row of readings) sum += row.get('value') as number;
  console.log(
    `prepared: sensor s2 has ${readings.totalRowsFetched} readings, mean ${(sum / readings.totalRowsFetched).toFixed(3)}`,
  );

  // 3. Page by page: each page is array-like and carries its number and paging state.
  const paged = await session.executeStream<User>('SELECT id, score FROM examples.users', [], { fetchSize: 5000 });
  for await (const page of paged.pages()) {
    let best = 0;
    for (const user of page) best = Math.max(best, user.score);
    console.log(
      `page ${page.pageNumber}: ${page.length} rows, best score ${best}, total so far ${paged.totalRowsFetched}`,
    );
  }

  // 4. maxPages: exactly that many pages (fewer if the data ends first), then the stream ends.
  const firstTwo = await session.executeStream('SELECT id FROM examples.users', [], { fetchSize: 100, maxPages: 2 });
  let n = 0;
  for await (const _row of firstTwo) n++;
  console.log(
    `maxPages: ${n} rows in ${firstTwo.pageNumber} pages; resume from pagingState ${firstTwo.pagingState ? 'available' : 'absent'}`,
  );

  // 5. Progress: called once per page, in order, before the page's rows; an async callback is awaited.
  const progress: string[] = [];
  const tracked = await session.executeStream('SELECT id FROM examples.users', [], {
    fetchSize: Math.ceil(rows / 4),
    pageCallback: (pageNumber, totalRows) => {
      progress.push(`${pageNumber}:${totalRows}`);
    },
  });
  for await (const _row of tracked) {
    /* consume */
  }
  console.log(`progress: ${progress.join(' ')}`);

  // 6. Cancelling: leaving the loop cancels the stream (no page request is left behind) ...
  const early = await session.executeStream<User>('SELECT id FROM examples.users', [], { fetchSize: 100 });
  for await (const _user of early) if (early.totalRowsFetched === 150) break;
  console.log(
    `break: stopped after ${early.totalRowsFetched} rows; resume from pagingState and skip ${early.rowsPastPagingState}`,
  );

  // ... and an AbortSignal makes the pending next() reject with a StreamError.
  const controller = new AbortController();
  const aborted = await session.executeStream('SELECT id FROM examples.users', [], {
    fetchSize: 100,
    signal: controller.signal,
    pageCallback: (pageNumber) => {
      if (pageNumber === 3) controller.abort(new Error('enough'));
    },
  });
  try {
    for await (const _row of aborted) {
      /* consume */
    }
  } catch (error) {
    if (!(error instanceof StreamError)) throw error;
    console.log(
      `abort: StreamError after ${error.pageNumber} pages / ${error.totalRowsFetched} rows (cause: ${(error.cause as Error).message})`,
    );
  }

  // 7. A streaming statement bundles the query with its options.
  const statement = createStreamingStatement('SELECT id, email FROM examples.users', {
    fetchSize: 2500,
    consistency: Consistency.LOCAL_ONE,
  });
  const bundled = await session.executeStream<User>(statement);
  let withAt = 0;
  for await (const user of bundled) if (user.email.includes('@')) withAt++;
  console.log(`statement: ${withAt} emails in ${bundled.pageNumber} pages of up to 2500`);
} finally {
  await close();
}
