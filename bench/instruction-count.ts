/**
 * `npm run bench:instructions [-- options]`: instructions per streamed row, a figure the load of a
 * shared machine does not move (rows/s does). The embedded server runs in a process of its own
 * (not under valgrind); for each client a child process (bench/instruction-child.ts) streams R1
 * rows under `valgrind --tool=callgrind`, then another streams R2 rows, and the figure is
 * (I(R2) - I(R1)) / (R2 - R1): startup, connecting, preparing and the first JIT work cancel out.
 * Instructions of every thread of the child are counted (callgrind's "Collected"); node runs with
 * `--single-threaded`, so V8's compiler and GC helpers work on the main thread, in a repeatable
 * order. Each
 * measurement is taken `--repeat` times, to show how well it repeats, and the figure from the
 * medians of the I(R1) and of the I(R2) is printed too. One uncounted run without valgrind goes
 * first, so tsx's compile cache is filled before anything is counted. Options: see
 * bench/instruction-options.ts or `-- --help`.
 */
import { fileURLToPath } from 'node:url';
import { KEYSPACE } from './bench-table.js';
import { runNodeChild } from './callgrind-child.js';
import type { InstructionClient, InstructionOptions } from './instruction-options.js';
import { INSTRUCTION_USAGE, parseInstructionArgs } from './instruction-options.js';
import { startServerProcess } from './server-handle.js';
import { median } from './stats.js';

const TABLE = 'rows';
/** One child under valgrind: startup alone takes about 20 s (tsx included), so a bound well above that. */
const CHILD_TIMEOUT_MS = 10 * 60_000;

/** The instruction count of one child that streams `rows` rows. */
async function countInstructions(
  host: string,
  port: number,
  client: InstructionClient,
  o: InstructionOptions,
  rows: number,
  underValgrind = true,
): Promise<number> {
  const child = fileURLToPath(new URL('./instruction-child.ts', import.meta.url));
  const childArgs = [
    host,
    String(port),
    client,
    o.config,
    String(o.fetchSize),
    String(rows),
    `${KEYSPACE}.${TABLE}`,
    String(o.streams),
  ];
  const nodeArgs = ['--expose-gc', '--import', 'tsx', child, ...childArgs];
  const run = await runNodeChild(nodeArgs, underValgrind, CHILD_TIMEOUT_MS);
  if (run.code !== 0 || (underValgrind && run.instructions === undefined))
    throw new Error(
      `valgrind child (${client}, ${rows} rows) exited with ${String(run.code)}:\n${run.stderr.slice(-2000)}`,
    );
  const tally = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { rows?: number };
  const expected = rows * o.streams;
  if (tally.rows !== expected) throw new Error(`${client} streamed ${String(tally.rows)} rows, expected ${expected}`);
  return run.instructions ?? 0;
}

async function main(o: InstructionOptions): Promise<void> {
  const [r1, r2] = o.rows;
  /** Instructions per streamed row from the counts of the R1 and the R2 children. */
  const perRow = (i1: number, i2: number): number => (i2 - i1) / ((r2 - r1) * o.streams);
  process.stderr.write(`starting the embedded server, loading ${r2.toLocaleString('en-US')} rows ...\n`);
  const server = await startServerProcess([{ name: TABLE, rows: r2 }]);
  const lines: string[] = [];
  try {
    for (const client of o.clients) {
      // once without valgrind, uncounted: tsx compiles every source file the first time it loads
      // it (then reads its cache), which would land in the first counted child only
      await countInstructions(server.host, server.port, client, o, r1, false);
      const counts: [number, number][] = [];
      for (let i = 1; i <= o.repeat; i++) {
        const t0 = Date.now();
        const i1 = await countInstructions(server.host, server.port, client, o, r1);
        const i2 = await countInstructions(server.host, server.port, client, o, r2);
        counts.push([i1, i2]);
        const line =
          `${client.padEnd(9)} ${o.config} fetchSize ${o.fetchSize} run ${i}: ${perRow(i1, i2).toFixed(0)} instructions/row ` +
          `(I(${r1}) = ${i1.toLocaleString('en-US')}, I(${r2}) = ${i2.toLocaleString('en-US')}, ${((Date.now() - t0) / 1000).toFixed(0)} s)`;
        process.stderr.write(`  ${line}\n`);
        lines.push(line);
      }
      if (o.repeat > 1) {
        const m1 = median(counts.map((c) => c[0]));
        const m2 = median(counts.map((c) => c[1]));
        const line = `${client.padEnd(9)} ${o.config} fetchSize ${o.fetchSize} from the medians of I(${r1}) and I(${r2}): ${perRow(m1, m2).toFixed(0)} instructions/row`;
        process.stderr.write(`  ${line}\n`);
        lines.push(line);
      }
    }
  } finally {
    await server.stop();
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

const parsed = parseInstructionArgs(process.argv.slice(2));
if (parsed.kind === 'help') process.stdout.write(INSTRUCTION_USAGE);
else if (parsed.kind === 'usage-error') {
  process.stderr.write(`${parsed.message}\n\n${INSTRUCTION_USAGE}`);
  process.exitCode = 2;
} else {
  await main(parsed.options);
}
