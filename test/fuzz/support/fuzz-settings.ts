/**
 * How many cases each fuzz property runs, and with which seed. `npm test` runs a small,
 * deterministic number (the seed is fixed, so a failure reproduces exactly); `npm run fuzz` sets
 * FUZZ_RUNS to run many more. FUZZ_SEED replays another seed (fast-check prints the seed and the
 * path of any counterexample it finds).
 */
const DEFAULT_SEED = 0x0c9113e;

function envInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return n;
}

/** The fast-check seed of every property (FUZZ_SEED overrides it). */
export const FUZZ_SEED = envInteger('FUZZ_SEED') ?? DEFAULT_SEED;

/** True under `npm run fuzz` (FUZZ_RUNS set): tests get a long timeout. */
export const LONG_FUZZ = envInteger('FUZZ_RUNS') !== undefined;

/**
 * Runs of one property: `base` in CI, or FUZZ_RUNS × `scale` (never fewer than `base`) when
 * FUZZ_RUNS is set. Expensive properties (a live socket per case) pass a small scale.
 */
export function fuzzRuns(base: number, scale = 1): number {
  const requested = envInteger('FUZZ_RUNS');
  if (requested === undefined) return base;
  return Math.max(base, Math.round(requested * scale));
}

/** Vitest timeout of one fuzz test: generous under FUZZ_RUNS, the suite default otherwise. */
export const FUZZ_TEST_TIMEOUT_MS = LONG_FUZZ ? 6 * 60 * 60 * 1000 : 30_000;

/** The fast-check parameters of a property with `runs` cases. */
export function fuzzParameters(runs: number): { seed: number; numRuns: number; endOnFailure: boolean } {
  return { seed: FUZZ_SEED, numRuns: runs, endOnFailure: true };
}
