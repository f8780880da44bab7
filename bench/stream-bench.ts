/**
 * Streaming rows/s (the stream goals of bench/README.md), as a matrix: for each wire
 * configuration (v5, v5 lz4, v4) the raw+decode client (the honest bound: every cell decoded by a
 * hand-written loop) and cqlwire's three consumers (`for await` over `executeStream`, `pages()`,
 * `toReadable()`); once per fetch size cassandra-driver `stream()` and `eachRow` (protocol v4, its
 * highest) and the raw socket client that only walks cell lengths (v5, the transport limit). All
 * read the same rows from the same embedded server (another process), in interleaved rounds: each
 * round runs every client once, in an order of its own (a different client first each round, the
 * rest shuffled by a fixed seed, so no client always runs after the same one), after one untimed
 * run of each at each fetch size, with a full GC before every timed run; each cqlwire consumer's
 * run is paired with a run of its configuration's raw+decode bound right beside it, and its ratio
 * to the bound is the median of those pairs ({@link pairedRoundSteps}). Per run: rows/s and the
 * client process's CPU time (`process.cpuUsage()`, user + system: the client's own cost, the
 * server being another process) per row.
 *
 * Isolation (`--stream-isolation`): by default every contestant runs in a process of its own
 * (`stream-child.ts`, started once and kept for all its rounds), so no client's heap, garbage or
 * GC timing is in another's figures; `shared` runs them all in the harness's own process.
 */
import type { ChildProcess } from 'node:child_process';
import type { CqlwireClient } from './cqlwire-client.js';
import type { DriverClient } from './driver-client.js';
import type { RawClient } from './raw-client.js';
import type { RawDecodeClient } from './raw-decode-client.js';
import type { WireConfig } from './raw-decode-framing.js';
import { foldHandedPages, foldHandedRows } from './raw-decode-handoff.js';
import type { ReadTally } from './read-rows.js';
import { forkBench, nextMessage } from './server-handle.js';
import { median, ratio } from './stats.js';
import type { StreamChildReport, StreamChildRequest } from './stream-child.js';

/** The kinds of client of the stream part. */
export const STREAM_CLIENT_KINDS = [
  'rawDecode',
  'rawDecodePages',
  'rawDecodeRows',
  'cqlwireRows',
  'cqlwirePages',
  'cqlwirePagesRecycled',
  'cqlwireReadable',
  'driverStream',
  'driverEachRow',
  'rawLengths',
] as const;
/** One of {@link STREAM_CLIENT_KINDS}. */
export type StreamClientKind = (typeof STREAM_CLIENT_KINDS)[number];

/** How the tables and the chart name each kind of client. */
export const STREAM_CLIENT_LABELS: Record<StreamClientKind, string> = {
  rawDecode: 'raw+decode (hand-written, every cell)',
  rawDecodePages: 'raw+decode handed out a page per await',
  rawDecodeRows: 'raw+decode handed out by a for-await iterator',
  cqlwireRows: 'cqlwire executeStream (for await)',
  cqlwirePages: 'cqlwire pages()',
  cqlwirePagesRecycled: 'cqlwire pages({ recyclePages: true })',
  cqlwireReadable: 'cqlwire toReadable() (for await)',
  driverStream: 'cassandra-driver client.stream()',
  driverEachRow: 'cassandra-driver eachRow autoPage',
  rawLengths: 'raw socket (cell lengths only)',
};

/**
 * Whether a kind's runs are paired with its configuration's raw+decode bound: cqlwire's consumers,
 * and the bound itself behind their shapes (raw-decode-handoff.ts).
 */
export function pairsWithBound(kind: StreamClientKind): boolean {
  return kind.startsWith('cqlwire') || kind === 'rawDecodePages' || kind === 'rawDecodeRows';
}

/** A client in one wire configuration: one line of the table. */
export interface StreamContestant {
  kind: StreamClientKind;
  config: WireConfig;
}

/** One contestant's figures at one fetch size. */
export interface StreamCell extends StreamContestant {
  fetchSize: number;
  /** Median over the rounds; null when the client is not available. */
  rowsPerSecond: number | null;
  /** The slowest and fastest round (the spread reported). */
  minRowsPerSecond: number | null;
  maxRowsPerSecond: number | null;
  /** Median over the rounds of this process's CPU time (user + system) per row, ns. */
  cpuNsPerRow: number | null;
  /**
   * Median over the rounds of the client process's minor page faults per 1,000 rows (memory the
   * kernel maps on first touch: fresh memory costs one per 4 KiB). Absent in older results.
   */
  faultsPerKRow?: number | null;
  rounds: number[];
  cpuNsPerRowRounds: number[];
  /**
   * The kinds paired with the bound only ({@link pairsWithBound}): per round, this client's rows/s
   * over the rows/s of the same configuration's raw+decode run made right beside it (see
   * {@link pairedRoundSteps}). Absent in results from before the pairing.
   */
  pairedRatios?: number[];
}

/** The ratios of one fetch size (null: a side did not run). */
export interface StreamRatios {
  fetchSize: number;
  /**
   * Per configuration: cqlwire's consumers over raw+decode, the median of the per-round paired
   * ratios ({@link StreamCell.pairedRatios}; the ratio of the medians for older results).
   */
  vsRawDecode: Partial<
    Record<
      WireConfig,
      {
        rows: number | null;
        pages: number | null;
        pagesRecycled?: number | null;
        readable: number | null;
        /** The bound behind `pages()`'s shape and `for await`'s (v5 only; absent in older results). */
        boundPages?: number | null;
        boundRows?: number | null;
      }
    >
  >;
  /** cqlwire rows: v5 lz4 over v5, v4 over v5. */
  lz4VsV5: number | null;
  v4VsV5: number | null;
  /** cqlwire rows (v5) over the driver's stream() and eachRow. */
  vsDriverStream: number | null;
  vsDriverEachRow: number | null;
}

/** Where the contestants run: each in a process of its own, or all in the harness's process. */
export type StreamIsolation = 'process' | 'shared';

/** The stream part's results (`format` 2: the matrix; results without it are older runs). */
export interface StreamResult {
  format: 2;
  rowsPerRound: number;
  rounds: number;
  /** Absent in runs from before the option: those ran `shared`. */
  isolation?: StreamIsolation;
  configs: WireConfig[];
  fetchSizes: number[];
  cqlwireStreamVia: string | null;
  cells: StreamCell[];
  ratios: StreamRatios[];
  /** False if some client read a different row count or checksum (each mismatch is listed). */
  consistent: boolean;
  mismatches: string[];
}

/** What the stream part needs connected: cqlwire and raw+decode per configuration. */
export interface StreamContestants {
  cqlwire: Partial<Record<WireConfig, CqlwireClient>>;
  rawDecode: Partial<Record<WireConfig, RawDecodeClient>>;
  /** A second raw+decode connection per configuration, for the bound behind cqlwire's shapes. */
  rawDecodeHandOff: Partial<Record<WireConfig, RawDecodeClient>>;
  driver: DriverClient;
  raw: RawClient;
}

type Runner = (query: string, fetchSize: number) => Promise<ReadTally>;

/** One measured run of one contestant. */
export interface StreamRunFigures {
  rows: number;
  /** The cell checksum (NaN for the lengths-only client, which reads no values). */
  checksum: number;
  seconds: number;
  /** The client process's CPU time (user + system) per row, ns. */
  cpuNsPerRow: number;
  /** The client process's minor page faults per 1,000 rows. */
  faultsPerKRow: number;
}

/** Runs the query once for a contestant and measures it, wherever the contestant lives. */
export type MeasuredRunner = (query: string, fetchSize: number) => Promise<StreamRunFigures>;

/** The contestants' measured runners (undefined: not available) and how to let go of them. */
export interface StreamRunners {
  runners: (MeasuredRunner | undefined)[];
  /** How cqlwire's stream is reached (the table's title says it), when cqlwire runs. */
  cqlwireStreamVia: string | null;
  close(): Promise<void>;
}

/** A full GC and a pause, then one run of `run`, timed, with this process's CPU time per row. */
export async function measureRun(run: Runner, query: string, fetchSize: number): Promise<StreamRunFigures> {
  await collectGarbageAndSettle();
  const cpu0 = process.cpuUsage();
  const faults0 = process.resourceUsage().minorPageFault;
  const t0 = process.hrtime.bigint();
  const tally = await run(query, fetchSize);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const used = process.cpuUsage(cpu0);
  const faults = process.resourceUsage().minorPageFault - faults0;
  return {
    rows: tally.rows,
    checksum: tally.checksum,
    seconds,
    cpuNsPerRow: ((used.user + used.system) * 1000) / Math.max(1, tally.rows),
    faultsPerKRow: (faults * 1000) / Math.max(1, tally.rows),
  };
}

/** Every contestant in the harness's own process, on the clients connected there. */
export function sharedProcessRunners(c: StreamContestants, contestants: readonly StreamContestant[]): StreamRunners {
  return {
    runners: contestants.map((x) => {
      const run = runnerOf(c, x);
      return run && ((q: string, f: number) => measureRun(run, q, f));
    }),
    cqlwireStreamVia: Object.values(c.cqlwire)[0]?.streamVia ?? null,
    // the shared clients belong to the harness, which closes them
    close: () => Promise.resolve(),
  };
}

function isChildReport(m: unknown): m is StreamChildReport {
  return typeof m === 'object' && m !== null && 'type' in m;
}

/** A run may take minutes on a loaded machine; a child silent for this long is broken. */
const CHILD_RUN_TIMEOUT_MS = 600_000;

/**
 * Every contestant in a process of its own (`stream-child.ts`), started one after the other and
 * kept for all the rounds; `log` hears of a contestant that is not available.
 */
export async function childProcessRunners(
  host: string,
  port: number,
  contestants: readonly StreamContestant[],
  log: (line: string) => void,
): Promise<StreamRunners> {
  const children: ChildProcess[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        child.send({ type: 'close' } satisfies StreamChildRequest);
        const timer = setTimeout(() => child.kill(), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  };
  const runners: (MeasuredRunner | undefined)[] = [];
  try {
    for (const x of contestants) {
      const child = forkBench(
        './stream-child.ts',
        [x.kind, x.config, host, String(port)],
        ['--expose-gc', ...(process.env.BENCH_CLIENT_EXEC_ARGV?.split(' ').filter(Boolean) ?? [])],
      );
      children.push(child);
      const first = await nextMessage(child, isChildReport, 60_000);
      if (first.type !== 'ready') {
        log(
          `  ${short(x)}: ${first.type === 'unavailable' ? `not available (${first.reason})` : first.type === 'error' ? first.message : first.type}`,
        );
        runners.push(undefined);
        continue;
      }
      runners.push(async (query, fetchSize) => {
        const answer = nextMessage(child, isChildReport, CHILD_RUN_TIMEOUT_MS);
        child.send({ type: 'run', query, fetchSize } satisfies StreamChildRequest);
        const report = await answer;
        if (report.type !== 'ran')
          throw new Error(`${short(x)} child: ${report.type === 'error' ? report.message : report.type}`);
        return {
          rows: report.rows,
          // NaN (the lengths-only client's checksum) crosses IPC as JSON: as null
          checksum: typeof report.checksum === 'number' ? report.checksum : Number.NaN,
          seconds: report.seconds,
          cpuNsPerRow: report.cpuNsPerRow,
          faultsPerKRow: report.faultsPerKRow,
        };
      });
    }
  } catch (err) {
    await close();
    throw err;
  }
  const cqlwireAvailable = contestants.some((x, i) => x.kind.startsWith('cqlwire') && runners[i] !== undefined);
  return { runners, cqlwireStreamVia: cqlwireAvailable ? 'session.executeStream' : null, close };
}

/**
 * The contestants of a run, in table order: per configuration the bound and cqlwire's three
 * consumers (on v5 also recycled pages, and with `shapes` the bound behind the consumers'
 * shapes), then the driver's and the lengths-only client.
 *
 * The shapes are opt-in: they lengthen every round by four runs, and with them in, the other
 * clients' fetch-5,000 runs took twice the page faults (cqlwire `for await`, v5: 0.54x of the
 * bound in a run without them, 0.38x and 0.40x in two with them, 2026-12-06). The default matrix
 * stays the one earlier results were measured with.
 */
export function streamContestants(configs: readonly WireConfig[], shapes = false): StreamContestant[] {
  const out: StreamContestant[] = [];
  for (const config of configs)
    for (const kind of ['rawDecode', 'cqlwireRows', 'cqlwirePages', 'cqlwireReadable'] as const) {
      out.push({ kind, config });
      // what the consumers' shapes cost the bound itself, on the default wire only
      if (shapes && kind === 'rawDecode' && config === 'v5')
        out.push({ kind: 'rawDecodePages', config }, { kind: 'rawDecodeRows', config });
      // the opt-in that reuses page memory, on the default wire only
      if (kind === 'cqlwirePages' && config === 'v5') out.push({ kind: 'cqlwirePagesRecycled', config });
    }
  out.push({ kind: 'driverStream', config: 'v4' }, { kind: 'driverEachRow', config: 'v4' });
  out.push({ kind: 'rawLengths', config: 'v5' });
  return out;
}

/** The function that reads the query for a contestant, or undefined when it is not available. */
function runnerOf(c: StreamContestants, x: StreamContestant): Runner | undefined {
  const cqlwire = c.cqlwire[x.config];
  switch (x.kind) {
    case 'rawDecode': {
      const client = c.rawDecode[x.config];
      return client && ((q, f) => client.stream(q, f));
    }
    case 'rawDecodePages':
    case 'rawDecodeRows': {
      // a connection of its own: the bound's runs are paired with these, one after the other
      const client = c.rawDecodeHandOff[x.config];
      const fold = x.kind === 'rawDecodePages' ? foldHandedPages : foldHandedRows;
      return client && ((q, f) => fold(client, q, f));
    }
    case 'cqlwireRows':
      return cqlwire?.stream;
    case 'cqlwirePages':
      return cqlwire?.streamPages;
    case 'cqlwirePagesRecycled':
      return cqlwire?.streamPagesRecycled;
    case 'cqlwireReadable':
      return cqlwire?.streamReadable;
    case 'driverStream':
      return (q, f) => c.driver.stream(q, f);
    case 'driverEachRow':
      return (q, f) => c.driver.eachRow(q, f);
    case 'rawLengths':
      return async (q, f) => {
        const r = await c.raw.countAll(q, f);
        return { rows: r.rows, checksum: Number.NaN };
      };
  }
}

/** One step of a round: one run, or a cqlwire run and its configuration's bound run right beside it. */
export interface RoundStep {
  first: number;
  second?: number;
  /** With `second`: whether `first` is the bound (the cqlwire client then runs second). */
  boundFirst?: boolean;
}

/**
 * The steps of round `round` over `contestants` (those `available` only): the order of
 * {@link roundOrder}, except that every kind paired with the bound ({@link pairsWithBound}) runs right beside a run of its own
 * configuration's raw+decode bound (before it in even rounds, after it in odd ones) instead of
 * the bound running once per round. The machines this runs on go through phases, seen lasting
 * about half a second, in which every process runs at half speed; a ratio of two runs a few
 * milliseconds apart sees the same phase on both sides, a ratio of two medians over the rounds
 * does not. The bound's own figures (rows/s, CPU) are over all its runs.
 */
export function pairedRoundSteps(
  contestants: readonly StreamContestant[],
  round: number,
  available: readonly boolean[],
): RoundStep[] {
  const boundOf = (x: StreamContestant): number =>
    pairsWithBound(x.kind)
      ? contestants.findIndex((y, j) => y.kind === 'rawDecode' && y.config === x.config && available[j] === true)
      : -1;
  const hasPartner = contestants.map((x, i) => available[i] === true && boundOf(x) >= 0);
  const steps: RoundStep[] = [];
  for (const i of roundOrder(contestants.length, round)) {
    const x = contestants[i]!;
    if (available[i] !== true) continue;
    // a bound with a cqlwire partner runs beside each partner, not on its own
    if (x.kind === 'rawDecode' && contestants.some((y, j) => hasPartner[j] === true && y.config === x.config)) continue;
    if (!hasPartner[i]) {
      steps.push({ first: i });
      continue;
    }
    const bound = boundOf(x);
    steps.push(
      round % 2 === 0 ? { first: bound, second: i, boundFirst: true } : { first: i, second: bound, boundFirst: false },
    );
  }
  return steps;
}

/**
 * The order of round `round` (from 0) over `n` clients: client `round % n` first, the others
 * shuffled by a generator seeded with the round, so a client's predecessor changes from round to
 * round; the same for every run.
 */
export function roundOrder(n: number, round: number): number[] {
  const first = round % n;
  const rest = Array.from({ length: n }, (_, i) => i).filter((i) => i !== first);
  let seed = Math.imul(round + 1, 0x9e3779b1);
  const next = (): number => {
    // xorshift32
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  return [first, ...rest];
}

/**
 * A full collection before each timed run when the process was started with --expose-gc (as
 * `npm run bench` does), so no client pays for the garbage the previous one left.
 */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * The full GC, then a short pause: V8 sweeps the collected heap on helper threads after `gc()`
 * returns, and that CPU time (process-wide in `process.cpuUsage()`) belongs to no client.
 */
async function collectGarbageAndSettle(): Promise<void> {
  collectGarbage();
  await new Promise<void>((resolve) => setTimeout(resolve, SETTLE_MS));
}
const SETTLE_MS = 20;

const short = (x: StreamContestant): string => `${x.config} ${x.kind}`;

/** The stream part's shape: what is read, how often, in which configurations. */
export interface StreamPlan {
  table: string;
  rowsPerRound: number;
  fetchSizes: readonly number[];
  configs: readonly WireConfig[];
  rounds: number;
  isolation: StreamIsolation;
  /** The bound behind cqlwire's shapes too (`--stream-shapes`). */
  shapes: boolean;
}

/**
 * Runs the interleaved rounds over `streamContestants(plan.configs, plan.shapes)`, each through its runner in
 * `runners` (the same order); `log` gets one line per round.
 */
export async function runStreamBench(
  plan: StreamPlan,
  connected: StreamRunners,
  log: (line: string) => void,
): Promise<StreamResult> {
  const { table, rowsPerRound, fetchSizes, configs, rounds } = plan;
  const query = `SELECT * FROM ${table} LIMIT ${rowsPerRound}`;
  const contestants = streamContestants(configs, plan.shapes);
  const runners = connected.runners;
  const mismatches: string[] = [];
  let reference: number | undefined;
  // Warm-up (not measured): JIT, statement preparation, connection pools, at every fetch size,
  // with the measured query itself.
  for (const fetchSize of fetchSizes) for (const run of runners) await run?.(query, fetchSize);

  const cells: StreamCell[] = [];
  for (const fetchSize of fetchSizes) {
    const rates = contestants.map(() => [] as number[]);
    const cpu = contestants.map(() => [] as number[]);
    const faults = contestants.map(() => [] as number[]);
    const paired = contestants.map(() => [] as number[]);
    const measure = async (i: number, round: number): Promise<number | undefined> => {
      const run = runners[i];
      if (run === undefined) return undefined;
      const tally = await run(query, fetchSize);
      const where = `${short(contestants[i]!)} fetchSize ${fetchSize} round ${round + 1}`;
      if (tally.rows !== rowsPerRound) mismatches.push(`${where}: ${tally.rows} rows, expected ${rowsPerRound}`);
      if (!Number.isNaN(tally.checksum)) {
        reference ??= tally.checksum;
        if (Math.abs(tally.checksum - reference) > 1e-6 * Math.abs(reference))
          mismatches.push(`${where}: checksum ${tally.checksum} != ${reference}`);
      }
      const rate = tally.rows / tally.seconds;
      rates[i]!.push(rate);
      cpu[i]!.push(tally.cpuNsPerRow);
      faults[i]!.push(tally.faultsPerKRow);
      return rate;
    };
    const available = contestants.map((_, i) => runners[i] !== undefined);
    for (let round = 0; round < rounds; round++) {
      const parts: string[] = [];
      for (const step of pairedRoundSteps(contestants, round, available)) {
        const first = await measure(step.first, round);
        const second = step.second === undefined ? undefined : await measure(step.second, round);
        if (step.second === undefined) {
          if (first !== undefined) parts.push(`${short(contestants[step.first]!)} ${Math.round(first / 1000)}k`);
          continue;
        }
        const [client, bound] = step.boundFirst ? [second, first] : [first, second];
        const who = step.boundFirst ? step.second : step.first;
        if (client === undefined || bound === undefined) continue;
        paired[who]!.push(client / bound);
        parts.push(`${short(contestants[who]!)} ${Math.round(client / 1000)}k (${(client / bound).toFixed(2)}x)`);
      }
      log(`  stream fetchSize ${fetchSize} round ${round + 1}/${rounds}: ${parts.join(', ')} rows/s`);
    }
    contestants.forEach((x, i) => {
      const r = rates[i]!;
      const some = r.length > 0;
      cells.push({
        ...x,
        fetchSize,
        rowsPerSecond: some ? median(r) : null,
        minRowsPerSecond: some ? Math.min(...r) : null,
        maxRowsPerSecond: some ? Math.max(...r) : null,
        cpuNsPerRow: some ? median(cpu[i]!) : null,
        faultsPerKRow: some ? median(faults[i]!) : null,
        rounds: r,
        cpuNsPerRowRounds: cpu[i]!,
        ...(paired[i]!.length > 0 ? { pairedRatios: paired[i]! } : {}),
      });
    });
  }
  return {
    format: 2,
    rowsPerRound,
    rounds,
    isolation: plan.isolation,
    configs: [...configs],
    fetchSizes: [...fetchSizes],
    cqlwireStreamVia: connected.cqlwireStreamVia,
    cells,
    ratios: fetchSizes.map((f) => streamRatios(cells, f, configs)),
    consistent: mismatches.length === 0,
    mismatches,
  };
}

/** The cell of one contestant at one fetch size, if it ran. */
export function findStreamCell(
  cells: readonly StreamCell[],
  fetchSize: number,
  config: WireConfig,
  kind: StreamClientKind,
): StreamCell | undefined {
  return cells.find((x) => x.fetchSize === fetchSize && x.config === config && x.kind === kind);
}

/** The median rows/s of one cell, or null. */
export function cellRate(
  cells: readonly StreamCell[],
  fetchSize: number,
  config: WireConfig,
  kind: StreamClientKind,
): number | null {
  return findStreamCell(cells, fetchSize, config, kind)?.rowsPerSecond ?? null;
}

/** The ratios of one fetch size from the cells. */
export function streamRatios(
  cells: readonly StreamCell[],
  fetchSize: number,
  configs: readonly WireConfig[],
): StreamRatios {
  const at = (config: WireConfig, kind: StreamClientKind): number | null => cellRate(cells, fetchSize, config, kind);
  const vsRawDecode: StreamRatios['vsRawDecode'] = {};
  for (const config of configs) {
    const bound = at(config, 'rawDecode');
    const vsBound = (kind: StreamClientKind): number | null => {
      const pairs = findStreamCell(cells, fetchSize, config, kind)?.pairedRatios;
      return pairs !== undefined && pairs.length > 0 ? median(pairs) : ratio(at(config, kind), bound);
    };
    vsRawDecode[config] = {
      rows: vsBound('cqlwireRows'),
      pages: vsBound('cqlwirePages'),
      pagesRecycled: vsBound('cqlwirePagesRecycled'),
      readable: vsBound('cqlwireReadable'),
      boundPages: vsBound('rawDecodePages'),
      boundRows: vsBound('rawDecodeRows'),
    };
  }
  const v5 = at('v5', 'cqlwireRows');
  return {
    fetchSize,
    vsRawDecode,
    lz4VsV5: ratio(at('v5-lz4', 'cqlwireRows'), v5),
    v4VsV5: ratio(at('v4', 'cqlwireRows'), v5),
    vsDriverStream: ratio(v5, at('v4', 'driverStream')),
    vsDriverEachRow: ratio(v5, at('v4', 'driverEachRow')),
  };
}
