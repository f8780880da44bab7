/**
 * `npm run demo` / `cqlwire demo`: the embedded server on loopback, a table of
 * 2,000,000 synthetic rows of mixed types (bulk-loaded), streamed with `executeStream` under a
 * live progress line; then the same query read with `execute` + `all()` (every page collected),
 * time and memory side by side.
 *
 * Memory is measured honestly: each read runs in a fresh child process (demo-reader.ts) that
 * reports its own peak RSS (the kernel's high-water mark), so neither the server's table nor the
 * other read's garbage is counted. The server stays in this process.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { EmbeddedServer } from '../server/index.js';
import { startEmbeddedServer } from '../server/index.js';
import type { ReaderMode, ReaderReport } from './demo-reader.js';
import { DEMO_KEYSPACE, DEMO_QUERY, DEMO_TABLE_CQL, demoRow } from './demo-table.js';
import { groupDigits, mebibytes } from './progress-line.js';

/** The text of `cqlwire demo --help`. */
export const DEMO_USAGE = `Usage: cqlwire demo [--rows N] [--fetch-size N]

Starts the embedded server on loopback, loads a table of N synthetic rows of mixed types,
streams it with executeStream (live progress: rows, pages, rows/s, RSS), then reads the same
query with execute + all() and prints time and peak memory side by side.

Options:
  --rows N         rows in the table (default 2000000, or CQLWIRE_DEMO_ROWS)
  --fetch-size N   rows per page (default 5000)
  -h, --help       show this help
`;

const DEFAULT_ROWS = 2_000_000;
const DEFAULT_FETCH_SIZE = 5000;
const LOAD_CHUNK = 100_000;
// the reader next to this file: demo-reader.ts under tsx, demo-reader.js once compiled
const READER = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './demo-reader.ts' : './demo-reader.js', import.meta.url),
);

/** Where the demo writes; `process` by default. */
export interface DemoIo {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: progress is redrawn in place instead of printed line by line. */
  readonly tty: boolean;
}

const processIo: DemoIo = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
  tty: process.stderr.isTTY,
};

function positiveInt(name: string, text: string | undefined, fallback: number): number | string {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 100_000_000)
    return `${name} must be an integer from 1 to 100000000, got '${text}'`;
  return Number(text);
}

/** Runs one read in a fresh child process and resolves with its report. */
function runReader(mode: ReaderMode, contactPoint: string, fetchSize: number): Promise<ReaderReport> {
  // under tsx the loader flags are in execArgv; compiled, the reader is plain .js
  const loader =
    READER.endsWith('.ts') && !process.execArgv.some((a) => a.includes('tsx')) ? ['--import', 'tsx'] : process.execArgv;
  return new Promise<ReaderReport>((resolve, reject) => {
    const child = spawn(process.execPath, [...loader, READER, mode, contactPoint, String(fetchSize)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: ReaderReport | undefined;
    child.on('message', (m: ReaderReport) => {
      report = m;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (report?.ok === true) resolve(report);
      else
        reject(
          new Error(
            report !== undefined && !report.ok ? report.error : `the ${mode} reader exited with ${code ?? signal}`,
          ),
        );
    });
  });
}

function loadTable(server: EmbeddedServer, rows: number, io: DemoIo): number {
  const t0 = performance.now();
  server.execute(
    `CREATE KEYSPACE ${DEMO_KEYSPACE} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
  server.execute(DEMO_TABLE_CQL);
  for (let start = 0; start < rows; start += LOAD_CHUNK) {
    const count = Math.min(LOAD_CHUNK, rows - start);
    server.load(DEMO_KEYSPACE, 'events', { count, generate: (i) => demoRow(start + i) });
    const line = `  loaded ${groupDigits(start + count)} / ${groupDigits(rows)} rows`;
    io.err(io.tty ? `\r\x1b[2K${line}${start + count === rows ? '\n' : ''}` : `${line}\n`);
  }
  return (performance.now() - t0) / 1000;
}

function line(label: string, r: ReaderReport & { ok: true }): string {
  return (
    `  ${label.padEnd(26)}${`${r.seconds.toFixed(1)} s`.padStart(9)}${groupDigits(r.rows / r.seconds).padStart(12)}` +
    `${mebibytes(r.peakRss).padStart(12)}${`+${mebibytes(Math.max(0, r.peakRss - r.baselineRss))}`.padStart(13)}`
  );
}

/** Runs the demo; resolves with the exit code (0 done, 1 failure, 2 usage error). */
export async function runDemoCommand(
  argv: readonly string[],
  io: DemoIo = processIo,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      options: { rows: { type: 'string' }, 'fetch-size': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (err) {
    io.err(`cqlwire demo: ${(err as Error).message}\n${DEMO_USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.out(DEMO_USAGE);
    return 0;
  }
  const rows = positiveInt('--rows', values.rows ?? env.CQLWIRE_DEMO_ROWS, DEFAULT_ROWS);
  const fetchSize = positiveInt('--fetch-size', values['fetch-size'], DEFAULT_FETCH_SIZE);
  if (typeof rows === 'string' || typeof fetchSize === 'string') {
    io.err(`cqlwire demo: ${typeof rows === 'string' ? rows : fetchSize}\n${DEMO_USAGE}`);
    return 2;
  }

  io.out(
    `cqlwire demo: ${groupDigits(rows)} rows, ${groupDigits(fetchSize)} rows per page, embedded server on loopback\n`,
  );
  const server = await startEmbeddedServer({ port: 0 });
  try {
    const loadSeconds = loadTable(server, rows, io);
    io.out(
      `table ${DEMO_KEYSPACE}.events loaded in ${loadSeconds.toFixed(1)} s (int, text, double, boolean, timestamp, bigint, uuid, blob, list<text>)\n\n`,
    );
    const contactPoint = server.contactPoints[0]!;
    // one small read first, so the server's first-query work (and a major GC after the load) is
    // not billed to the first client read
    server.execute(DEMO_QUERY, [], { pageSize: 1 });

    io.out(`1. streaming: ${DEMO_QUERY} with executeStream (fresh process)\n`);
    const streamed = await runReader('stream', contactPoint, fetchSize);
    server.clearActivityLog();
    io.out(`\n2. the same query with execute() + all(): every page collected in memory (fresh process)\n`);
    const collected = await runReader('execute', contactPoint, fetchSize);
    server.clearActivityLog();

    if (!streamed.ok || !collected.ok) return 1;
    if (streamed.rows !== rows || collected.rows !== rows || streamed.checksum !== collected.checksum) {
      io.err(
        `cqlwire demo: the two reads disagree: streamed ${streamed.rows} rows (checksum ${streamed.checksum}), collected ${collected.rows} (checksum ${collected.checksum}), table ${rows}\n`,
      );
      return 1;
    }
    io.out(`\ncomparison (${groupDigits(rows)} rows, same query, same server, each read in its own process):\n`);
    io.out(
      `  ${''.padEnd(26)}${'time'.padStart(9)}${'rows/s'.padStart(12)}${'peak RSS'.padStart(12)}${'RSS growth'.padStart(13)}\n`,
    );
    io.out(`${line('execute() + all()', collected)}\n`);
    io.out(`${line('executeStream()', streamed)}\n`);
    const ratio =
      Math.max(0, collected.peakRss - collected.baselineRss) / Math.max(1, streamed.peakRss - streamed.baselineRss);
    const why =
      "executeStream holds the page being read and one prefetched page, whatever the table's size; execute() + all() holds every row";
    io.out(
      ratio >= 1.5
        ? `\nexecuteStream's memory grew ${ratio.toFixed(1)}x less: ${why}.\n`
        : `\nAt this size the two are close: ${why}, so the gap grows with the table (the default is 2,000,000 rows).\n`,
    );
    return 0;
  } catch (err) {
    io.err(`cqlwire demo: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await server.stop();
  }
}

// `tsx src/cli/demo.ts` (npm run demo) runs it; `cqlwire demo` imports it
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  runDemoCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`cqlwire demo: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
