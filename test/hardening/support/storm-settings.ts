/**
 * Knobs of the hardening tests. CI runs them small; `STORM_SCALE=n` makes the storm n times
 * longer and busier and the leak check open n × 2,000 streams (n = 5 gives the 10,000).
 * `STORM_SEED` picks another deterministic sequence of delays and cancel points.
 */
function envInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

export const STORM_SCALE = envInteger('STORM_SCALE', 1);
export const STORM_SEED = envInteger('STORM_SEED', 20_261_125);
