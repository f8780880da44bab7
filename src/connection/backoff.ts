import { ArgumentError } from '../protocol/errors/index.js';

/** Delays between reconnection attempts: base × 2^(failures − 1), capped at max. */
export interface BackoffOptions {
  /** Delay after the first failure. Default 1,000 ms. */
  baseDelayMs?: number;
  /** Upper bound. Default 60,000 ms. */
  maxDelayMs?: number;
}

export class ExponentialBackoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;

  constructor(options: BackoffOptions = {}) {
    const base = options.baseDelayMs ?? 1_000;
    const max = options.maxDelayMs ?? 60_000;
    if (!Number.isFinite(base) || base < 0)
      throw new ArgumentError(`baseDelayMs must be a number of milliseconds >= 0, got ${base}`);
    if (!Number.isFinite(max) || max < base)
      throw new ArgumentError(`maxDelayMs must be >= baseDelayMs (${base}), got ${max}`);
    this.baseDelayMs = base;
    this.maxDelayMs = max;
  }

  /** The wait after `failures` consecutive failures (0 → no wait). */
  delayMs(failures: number): number {
    if (failures <= 0) return 0;
    // 2^30 × base is already far past any sensible cap; stop doubling there to stay finite
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(failures - 1, 30));
  }
}
