import { CqlwireError, ProtocolError } from '../../../src/protocol/errors/index.js';

/**
 * What one fuzz case ended in. Only two endings are allowed for bad bytes: a successful decode or a
 * `ProtocolError` (docs/security.md "Bad bytes from the network"). Anything else thrown is
 * re-thrown, so fast-check shrinks it and reports the input. A `ProtocolError` whose cause chain
 * holds a plain JavaScript error (RangeError, TypeError, ...) means a decoder relied on a
 * safety-net wrapper instead of checking: {@link foreignCause} finds those.
 */
export type Outcome = 'decoded' | 'protocol-error';

/** Runs `decode`; returns how it ended, re-throwing anything that is not a `ProtocolError`. */
export function outcomeOf(decode: () => void): Outcome {
  try {
    decode();
    return 'decoded';
  } catch (error) {
    if (error instanceof ProtocolError) {
      const foreign = foreignCause(error);
      if (foreign !== undefined) {
        throw new Error(
          `ProtocolError wraps a ${foreign.name} (a decoder relied on the safety net): ${error.message}`,
          { cause: error },
        );
      }
      return 'protocol-error';
    }
    throw error;
  }
}

/**
 * The first error in `error`'s cause chain that is not a cqlwire error, a Node system error
 * (ECONNRESET and the like: a `syscall` or an `E…` code) or the native lz4 library's own failure
 * (napi-rs errors carry code `GenericFailure`; `lz4DecompressBlock` wraps them on purpose).
 * Undefined when the chain is clean.
 */
export function foreignCause(error: unknown): Error | undefined {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e !== undefined && e !== null && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    if (e instanceof CqlwireError) continue;
    if (e instanceof Error) {
      const { code, syscall } = e as NodeJS.ErrnoException;
      if (
        typeof syscall === 'string' ||
        (typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code === 'GenericFailure'))
      )
        continue;
    }
    return e instanceof Error ? e : new Error(`non-Error thrown: ${typeof e}`);
  }
  return undefined;
}

/** Counts the endings of a property's cases and prints one summary line. */
export class OutcomeTally {
  private readonly counts = new Map<string, number>();
  private readonly started = performance.now();
  private total = 0;

  constructor(private readonly label: string) {}

  add(outcome: string): void {
    this.total++;
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
  }

  count(outcome: string): number {
    return this.counts.get(outcome) ?? 0;
  }

  get cases(): number {
    return this.total;
  }

  /** Prints `fuzz: <label>: N cases (a decoded, b protocol-error, ...) in T ms`. */
  report(): void {
    const parts = [...this.counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${v} ${k}`);
    const ms = Math.round(performance.now() - this.started);
    console.log(`fuzz: ${this.label}: ${this.total} cases (${parts.join(', ')}) in ${ms} ms`);
  }
}
