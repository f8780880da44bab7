/**
 * One counted client of bench/speculative-instructions.ts:
 * `speculative-instruction-child.ts HOST PORT none|constant|percentile REQUESTS`.
 * Connects to the 3-node embedded server, prepares an idempotent point read, runs
 * {@link WARM_UP} requests (JIT and pools settle), collects the garbage, then runs REQUESTS more,
 * 16 in flight (`runConcurrent`, as the small-query benchmark runs its calls). The speculation
 * delay is 100 s, so no extra execution ever starts: what is counted is what the speculative path
 * costs a request on a healthy cluster. Prints `{"requests": N}`.
 */
import { pathToFileURL } from 'node:url';
import { Cluster, PercentileSpeculativeExecutionPolicy, type SpeculativeExecutionOptions } from '../src/index.js';
import { runConcurrent } from './small-query-bench.js';

export const SPECULATION_POLICIES = ['none', 'constant', 'percentile'] as const;
export type SpeculationPolicyName = (typeof SPECULATION_POLICIES)[number];

/** Requests run before the counted ones (the parent subtracts two children: these cancel out). */
const WARM_UP = 20_000;
const IN_FLIGHT = 16;
const NEVER_MS = 100_000;

function policyOf(name: SpeculationPolicyName): SpeculativeExecutionOptions | undefined {
  if (name === 'constant') return { delayMs: NEVER_MS, maxExtra: 1 };
  if (name === 'percentile')
    return new PercentileSpeculativeExecutionPolicy({
      percentile: 99,
      maxExtra: 1,
      minSamples: 200,
      minDelayMs: NEVER_MS,
    });
  return undefined;
}

async function main(): Promise<void> {
  const [host, port, policy, requests] = process.argv.slice(2);
  const speculativeExecution = policyOf(policy as SpeculationPolicyName);
  const cluster = new Cluster({
    contactPoints: [`${host}:${port}`],
    ...(speculativeExecution !== undefined ? { speculativeExecution } : {}),
  });
  const session = await cluster.connect();
  const stmt = await session.prepare('SELECT * FROM bench.rows WHERE id = ?', { idempotent: true });
  const read = (i: number): Promise<unknown> => session.execute(stmt, [(i * 7919) % 1000]);
  // each run starts with a full GC (the child runs with --expose-gc)
  await runConcurrent(WARM_UP, IN_FLIGHT, read);
  const n = Number(requests);
  await runConcurrent(n, IN_FLIGHT, read);
  await cluster.shutdown();
  process.stdout.write(`${JSON.stringify({ requests: n })}\n`);
}

// run as a program, not when the parent imports the policy names
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
