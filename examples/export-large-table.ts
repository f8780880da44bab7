/**
 * Exports a table to CSV in bounded memory: the stream is piped through a CSV encoder into a
 * file, so a slow disk slows the reads from the cluster (backpressure end to end) instead of
 * filling memory. On failure it prints the paging state to resume from.
 *
 *   npx tsx examples/export-large-table.ts [out.csv] [resume-from-hex]
 *   CQLWIRE_CONTACT_POINTS=10.0.0.5 npx tsx examples/export-large-table.ts users.csv
 */
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Row } from '../src/index.js';
import { StreamError } from '../src/index.js';
import { exampleCluster } from './support/example-cluster.js';

const out = process.argv[2] ?? join(tmpdir(), 'cqlwire-users.csv');
const resumeFrom = process.argv[3] !== undefined ? Buffer.from(process.argv[3], 'hex') : undefined;

/** RFC 4180: quote a field holding a comma, quote or line break; a null is an empty field, '' is "". */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  if (text === '' || /[",\r\n]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** Row objects in, CSV lines out; the header comes from the first row's columns. */
function csvEncoder(): Transform {
  let header = false;
  return new Transform({
    writableObjectMode: true,
    transform(row: Row, _encoding, callback) {
      let line = '';
      if (!header) {
        line = `${row.keys().map(csvField).join(',')}\r\n`;
        header = true;
      }
      callback(null, `${line}${row.values().map(csvField).join(',')}\r\n`);
    },
  });
}

const { session, close } = await exampleCluster();
const started = Date.now();
const result = await session.executeStream('SELECT * FROM examples.users', [], {
  fetchSize: 5000,
  timeoutMs: 30_000,
  ...(resumeFrom !== undefined ? { pagingState: resumeFrom } : {}),
  pageCallback: (pageNumber, totalRows) => {
    if (pageNumber % 4 === 0) process.stderr.write(`  ${totalRows} rows (${pageNumber} pages)\n`);
  },
});
try {
  await pipeline(result.toReadable({ highWaterMark: 1000 }), csvEncoder(), createWriteStream(out));
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `exported ${result.totalRowsFetched} rows in ${result.pageNumber} pages to ${out} (${Math.round(result.totalRowsFetched / seconds)} rows/s)`,
  );
} catch (error) {
  if (error instanceof StreamError) {
    // the file holds every row of the pages delivered in full; continue with:
    console.error(`export failed after ${error.totalRowsFetched} rows: ${error.message}`);
    if (error.pagingState !== undefined)
      console.error(
        `resume with: npx tsx examples/export-large-table.ts more.csv ${error.pagingState.toString('hex')}`,
      );
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await close();
}
