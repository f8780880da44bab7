/**
 * `npm run bench [-- <part>...] [--quick] ...`: the benchmark harness (bench/README.md). Parts:
 * `decode` (the Rows decoder microbenchmark), `serve` (the embedded server's speed seen by the
 * raw socket client), `stream` (rows/s: cqlwire vs cassandra-driver vs the raw socket), `small`
 * (small prepared executes at concurrency 256), `memory` (peak RSS and RSS over time, one
 * fresh process per measurement) and `scan` (whole-table scans against a 3-node server of its
 * own: scan-bench.ts). One embedded server, in its own process, serves the other parts.
 * The memory part's millions of rows are loaded into it only after the speed parts: a server
 * holding millions of row Buffers spends much of its time in major GCs (each page it sends grows
 * external memory), which would make every speed figure a measure of the server's GC.
 * Tables go to stdout, round-by-round progress to stderr; figures to bench/results/latest.json,
 * charts to bench/results/memory.svg and throughput.svg.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, Part } from './bench-options.js';
import { BENCH_USAGE, memoryTableRowsFor, parseBenchArgs, speedTableRowsFor } from './bench-options.js';
import { KEYSPACE } from './bench-table.js';
import { writeCharts } from './charts.js';
import type { CqlwireClient } from './cqlwire-client.js';
import { connectCqlwire } from './cqlwire-client.js';
import { printDecodeResult, runDecodeBench } from './decode-bench.js';
import { connectDriver } from './driver-client.js';
import { runMemoryBench } from './memory-bench.js';
import { RawClient } from './raw-client.js';
import { RawDecodeClient } from './raw-decode-client.js';
import { memoryTable, serveTable, smallTable, streamTable } from './report.js';
import type { BenchResults } from './results-file.js';
import { machineInfo, mergeResults, readResults, writeResults } from './results-file.js';
import { runScanBench } from './scan-bench.js';
import { scanChart, scanTable } from './scan-report.js';
import { runServeInChild } from './serve-bench.js';
import type { ServerProcess } from './server-handle.js';
import { startServerProcess } from './server-handle.js';
import { runSmallBench } from './small-query-bench.js';
import type { StreamContestants, StreamPlan } from './stream-bench.js';
import { childProcessRunners, runStreamBench, sharedProcessRunners, streamContestants } from './stream-bench.js';

const RESULTS_DIR = fileURLToPath(new URL('./results', import.meta.url));
const SPEED_TABLE = 'rows';
const MEMORY_TABLE = 'big_rows';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function runAll(o: BenchOptions): Promise<BenchResults> {
  const now = (): string => new Date().toISOString();
  const results: BenchResults = { date: now(), machine: machineInfo(), quick: o.quick, skipped: {} };
  out(
    `cqlwire bench ${results.date}: ${results.machine.cpuModel} x${results.machine.cores}, ` +
      `${(results.machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, node ${results.machine.node}, load average ${results.machine.loadAverage.join(' ')}\n`,
  );

  if (o.parts.includes('decode')) {
    log('decode ...');
    const d = runDecodeBench();
    results.decode = { ...d, date: now() };
    printDecodeResult(d);
    out('');
  }
  const serverParts = o.parts.filter((p) => p !== 'decode' && p !== 'scan');
  if (serverParts.length > 0) await runSharedServerParts(o, serverParts, results);
  if (o.parts.includes('scan')) {
    try {
      const s = await runScanBench(o, log);
      results.scan = { ...s, date: now() };
      out(scanTable(s));
    } catch (err) {
      results.skipped.scan = message(err);
      out(`scan failed: ${message(err)}\n`);
    }
  }
  return results;
}

/** serve, stream, small and memory: one server process for them all. */
async function runSharedServerParts(
  o: BenchOptions,
  serverParts: readonly Part[],
  results: BenchResults,
): Promise<void> {
  const now = (): string => new Date().toISOString();

  const speedRows = speedTableRowsFor(o);
  const memoryRows = memoryTableRowsFor(o);
  log(`starting the embedded server in its own process, loading ${speedRows.toLocaleString('en-US')} rows ...`);
  let server;
  try {
    server = await startServerProcess(speedRows > 0 ? [{ name: SPEED_TABLE, rows: speedRows }] : []);
  } catch (err) {
    for (const p of serverParts) results.skipped[p] = `embedded server did not start: ${message(err)}`;
    out(`embedded server did not start, skipping ${serverParts.join(', ')}: ${message(err)}`);
    return;
  }
  results.server = {
    speedTableRows: speedRows,
    speedTableLoadSeconds: server.loadSeconds,
    memoryTableRows: memoryRows,
    memoryTableLoadSeconds: null,
    rssAfterLoad: server.rssAfterLoad,
    date: now(),
  };
  log(
    `  loaded in ${server.loadSeconds.toFixed(1)} s, server RSS ${(server.rssAfterLoad / 1048576).toFixed(0)} MiB, ${server.host}:${server.port}`,
  );
  try {
    const inProcess = serverParts.filter((p) => p !== 'memory');
    if (inProcess.length > 0)
      await runSpeedParts(o, server.host, server.port, `${KEYSPACE}.${SPEED_TABLE}`, speedRows, results).catch(
        (err: unknown) => {
          for (const p of inProcess) if (results[p] === undefined) results.skipped[p] = message(err);
          out(`${inProcess.join('/')} stopped: ${message(err)}\n`);
        },
      );
    if (o.parts.includes('memory')) {
      try {
        await runMemoryPart(o, server, memoryRows, results);
      } catch (err) {
        results.skipped.memory = message(err);
        out(`memory failed: ${message(err)}\n`);
      }
    }
  } finally {
    await server.stop();
  }
}

/** serve, stream and small: every client connected in this process, against the speed table. */
async function runSpeedParts(
  o: BenchOptions,
  host: string,
  port: number,
  table: string,
  tableRows: number,
  results: BenchResults,
): Promise<void> {
  const now = (): string => new Date().toISOString();
  const raw = await RawClient.connect({ host, port });
  const driver = await connectDriver(host, port).catch((err: unknown) => {
    raw.close();
    throw err;
  });
  const loaded = await connectCqlwire(host, port);
  const cqlwire: CqlwireClient | undefined = loaded.ok ? loaded.client : undefined;
  if (!loaded.ok) out(`cqlwire: not available yet (${loaded.reason})`);
  else if (cqlwire?.stream === undefined) out('cqlwire: not available yet (streaming: no executeStream)');
  try {
    if (o.parts.includes('serve')) {
      log('serve ...');
      try {
        const s = await runServeInChild(host, port, table, o.serveRows, o.servePageSize, o.rounds, o.serveCompression);
        results.serve = { ...s, date: now() };
        out(serveTable(s));
      } catch (err) {
        results.skipped.serve = message(err);
        out(`serve failed: ${message(err)}\n`);
      }
    }
    if (o.parts.includes('stream')) {
      log('stream ...');
      try {
        const plan: StreamPlan = {
          table,
          rowsPerRound: o.streamRows,
          fetchSizes: o.fetchSizes,
          configs: o.streamConfigs,
          rounds: o.streamRounds,
          isolation: o.streamIsolation,
          shapes: o.streamShapes,
        };
        let s;
        if (o.streamIsolation === 'process') {
          const runners = await childProcessRunners(
            host,
            port,
            streamContestants(o.streamConfigs, o.streamShapes),
            log,
          );
          try {
            s = await runStreamBench(plan, runners, log);
          } finally {
            await runners.close();
          }
        } else {
          const contestants = await connectStreamClients(o, host, port, cqlwire);
          try {
            const runners = sharedProcessRunners(
              { ...contestants, driver, raw },
              streamContestants(o.streamConfigs, o.streamShapes),
            );
            s = await runStreamBench(plan, runners, log);
          } finally {
            for (const client of Object.values(contestants.rawDecode)) client.close();
            for (const client of Object.values(contestants.rawDecodeHandOff)) client.close();
            for (const client of Object.values(contestants.cqlwire)) if (client !== cqlwire) await client.close();
          }
        }
        results.stream = { ...s, date: now() };
        out(streamTable(s));
      } catch (err) {
        results.skipped.stream = message(err);
        out(`stream failed: ${message(err)}\n`);
      }
    }
    if (o.parts.includes('small')) {
      log('small ...');
      try {
        const s = await runSmallBench(
          { cqlwire, driver, raw },
          table,
          tableRows,
          o.smallCalls,
          o.concurrency,
          o.rounds,
          log,
        );
        results.small = { ...s, date: now() };
        out(smallTable(s));
      } catch (err) {
        results.skipped.small = message(err);
        out(`small failed: ${message(err)}\n`);
      }
    }
  } finally {
    raw.close();
    await driver.close();
    await cqlwire?.close();
  }
}

/**
 * The stream part's per-configuration clients: cqlwire (the v5 one is the speed parts' own) and
 * raw+decode, in each configuration asked for; a cqlwire configuration that cannot connect is
 * left out (its cells say "not available yet").
 */
async function connectStreamClients(
  o: BenchOptions,
  host: string,
  port: number,
  v5: CqlwireClient | undefined,
): Promise<Pick<StreamContestants, 'cqlwire' | 'rawDecode' | 'rawDecodeHandOff'>> {
  const cqlwire: StreamContestants['cqlwire'] = {};
  const rawDecode: StreamContestants['rawDecode'] = {};
  const rawDecodeHandOff: StreamContestants['rawDecode'] = {};
  for (const config of o.streamConfigs) {
    rawDecode[config] = await RawDecodeClient.connect(host, port, config);
    if (config === 'v5') {
      if (o.streamShapes) rawDecodeHandOff[config] = await RawDecodeClient.connect(host, port, config);
      if (v5 !== undefined) cqlwire.v5 = v5;
      continue;
    }
    const loaded = await connectCqlwire(host, port, config);
    if (loaded.ok) cqlwire[config] = loaded.client;
    else out(`cqlwire ${config}: not available yet (${loaded.reason})`);
  }
  return { cqlwire, rawDecode, rawDecodeHandOff };
}

/** memory: loads the big table into the same server, then one child process per client and row count. */
async function runMemoryPart(
  o: BenchOptions,
  server: ServerProcess,
  memoryRows: number,
  results: BenchResults,
): Promise<void> {
  log(`memory: loading ${memoryRows.toLocaleString('en-US')} rows into the same server ...`);
  const loaded = await server.load([{ name: MEMORY_TABLE, rows: memoryRows }]);
  if (results.server) {
    results.server.memoryTableLoadSeconds = loaded.loadSeconds;
    results.server.rssAfterLoad = loaded.rss;
  }
  log(`  loaded in ${loaded.loadSeconds.toFixed(1)} s, server RSS ${(loaded.rss / 1048576).toFixed(0)} MiB`);
  // One unmeasured pass over the start of the big table, with no request timeout, so the
  // children's first page does not meet a server still settling after the load.
  const warm = await RawClient.connect({ host: server.host, port: server.port });
  try {
    await warm.countAll(`SELECT * FROM ${KEYSPACE}.${MEMORY_TABLE} LIMIT 50000`, o.memoryFetchSize);
  } finally {
    warm.close();
  }
  const m = await runMemoryBench(
    server.host,
    server.port,
    `${KEYSPACE}.${MEMORY_TABLE}`,
    o.memoryRows,
    o.memoryFetchSize,
    log,
  );
  results.memory = { ...m, date: new Date().toISOString() };
  out(memoryTable(m));
}

const parsed = parseBenchArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(BENCH_USAGE);
} else if (parsed.kind === 'usage-error') {
  process.stderr.write(`${parsed.message}\n\n${BENCH_USAGE}`);
  process.exitCode = 2;
} else {
  const fresh = await runAll(parsed.options);
  fresh.machine.loadAverageEnd = loadavg().map((x) => Number(x.toFixed(2)));
  out(
    `load average at the end: ${fresh.machine.loadAverageEnd.join(' ')} (other work on this machine slows every figure)`,
  );
  const merged = mergeResults(readResults(`${RESULTS_DIR}/latest.json`), fresh);
  const path = writeResults(RESULTS_DIR, merged);
  const subtitle = `${merged.machine.cpuModel} x${merged.machine.cores}, node ${merged.machine.node}, ${merged.date.slice(0, 10)}`;
  const charts = writeCharts(RESULTS_DIR, merged.memory, merged.stream, subtitle);
  if (merged.scan !== undefined) {
    writeFileSync(`${RESULTS_DIR}/scan.svg`, scanChart(merged.scan, subtitle));
    charts.push(`${RESULTS_DIR}/scan.svg`);
  }
  out(`wrote ${[path, ...charts].join(', ')}`);
  // The driver and the server child may leave handles behind; the run is over.
  process.exit(0);
}
