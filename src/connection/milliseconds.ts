import { ArgumentError } from '../protocol/errors/index.js';

/** The longest delay a Node.js timer honours (2^31 - 1 ms); a larger one would fire at once. */
export const MAX_TIMER_MS = 0x7fffffff;

/**
 * The one check of every millisecond option (timeouts, intervals, backoff delays): a finite
 * number from `min` (0, or 1 where 0 would mean nothing sensible) to {@link MAX_TIMER_MS}, or an
 * `ArgumentError` naming the option and the value, in the same words wherever it is used.
 */
export function checkMilliseconds(name: string, value: unknown, min: 0 | 1 = 0): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    throw new ArgumentError(
      `${name} must be a number of milliseconds from ${min} to ${MAX_TIMER_MS}, got ${String(value)}`,
    );
  }
  return value;
}
