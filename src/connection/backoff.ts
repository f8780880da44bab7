import { checkMilliseconds } from './milliseconds.js';

/** Delays between attempts: base × 2^(failures − 1), capped at max. */
export interface BackoffOptions {
  /** Delay after the first failure. Default 1,000 ms. */
  baseDelayMs?: number;
  /** Upper bound of every delay (below `baseDelayMs` it caps the first one too). Default 60,000 ms. */
  maxDelayMs?: number;
}

/**
 * The one exponential backoff: reconnection to a down host, the control connection, a pool's
 * reopening, and a stream's page retries all wait by it.
 */
export class ExponentialBackoff {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;

  /**
   * `defaults` fill what `options` leaves out; `optionName` prefixes the option names in error
   * messages (e.g. 'retry' gives "retry.baseDelayMs must be ...").
   */
  constructor(
    options: BackoffOptions = {},
    defaults: Required<BackoffOptions> = { baseDelayMs: 1_000, maxDelayMs: 60_000 },
    optionName?: string,
  ) {
    const prefix = optionName === undefined ? '' : `${optionName}.`;
    const base = checkMilliseconds(`${prefix}baseDelayMs`, options.baseDelayMs ?? defaults.baseDelayMs);
    const max = checkMilliseconds(`${prefix}maxDelayMs`, options.maxDelayMs ?? defaults.maxDelayMs);
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
