/**
 * The 'abort' listeners one connection holds for its requests' signals: a single listener per
 * signal, however many of the connection's requests share that signal, added with the first of
 * them and removed with the last. A stream sends every page request with the same signal.
 *
 * Why not a listener per request: measured on a 1.2 M-row stream (fetchSize 5000), a closure per
 * request added to the stream's signal and removed when the answer came made V8 keep page memory
 * past the young-generation collections that should free it, and ran 4-8 full (mark-compact)
 * collections a stream where a shared listener runs none, at about a third more CPU per row.
 *
 * Why not a `Map` from signal to count: with a signal per request (a speculative execution's,
 * or a caller's `AbortSignal.timeout()`), signals the Map no longer held stayed alive through the
 * young-generation collections, were promoted, and died in the old generation, with everything
 * they reach (for a speculative execution, its whole request). Measured on speculative executions,
 * 16 small requests in flight: the heap grew by about 2 MB per young collection, and a simulation
 * of the same traffic (test/connection/abort-watch.test.ts) ran 9 full collections against none
 * without the Map. Which part of V8's Map keeps them is not pinned down; its table is replaced as
 * it grows and shrinks. So the signals in use sit in two arrays that only ever grow (a slot given
 * back is cleared, so nothing dead stays reachable from them), searched linearly: a connection
 * has few distinct signals in flight. Past {@link LINEAR_LIMIT} of them the rest go to a Map.
 */
export class AbortWatch {
  private readonly signals: (AbortSignal | undefined)[] = [];
  private readonly counts: number[] = [];
  /** Entries in use at the front of `signals` and `counts`. */
  private used = 0;
  /** The signals beyond the linear part (made when first needed). */
  private overflow: Map<AbortSignal, number> | undefined = undefined;
  private readonly listener: (event: Event) => void;

  /** `onAbort` runs once per aborted signal that still has requests on this connection. */
  constructor(onAbort: (signal: AbortSignal) => void) {
    this.listener = (event: Event) => {
      const signal = event.target as AbortSignal;
      signal.removeEventListener('abort', this.listener);
      // forgotten first, so that the requests it cancels find nothing to unwatch
      if (this.forget(signal)) onAbort(signal);
    };
  }

  /** A request sent with `signal` starts. */
  watch(signal: AbortSignal): void {
    const i = this.indexOf(signal);
    if (i >= 0) {
      this.counts[i]!++;
      return;
    }
    const overflow = this.overflow;
    const uses = overflow?.get(signal);
    if (uses !== undefined) {
      overflow!.set(signal, uses + 1);
      return;
    }
    if (this.used < LINEAR_LIMIT) {
      this.signals[this.used] = signal;
      this.counts[this.used] = 1;
      this.used++;
    } else {
      (this.overflow ??= new Map()).set(signal, 1);
    }
    signal.addEventListener('abort', this.listener);
  }

  /** A request sent with `signal` settled (answered, timed out, cancelled or failed). */
  unwatch(signal: AbortSignal): void {
    const i = this.indexOf(signal);
    if (i >= 0) {
      if (--this.counts[i]! > 0) return;
      this.removeAt(i);
    } else {
      const overflow = this.overflow;
      const uses = overflow?.get(signal);
      if (uses === undefined) return; // its signal aborted: the listener is gone already
      if (uses > 1) {
        overflow!.set(signal, uses - 1);
        return;
      }
      overflow!.delete(signal);
    }
    signal.removeEventListener('abort', this.listener);
  }

  /** Signals watched now (for tests: every listener is removed once nothing is in flight). */
  get size(): number {
    return this.used + (this.overflow?.size ?? 0);
  }

  /** Drops `signal` whatever its count; false when it was not watched. */
  private forget(signal: AbortSignal): boolean {
    const i = this.indexOf(signal);
    if (i >= 0) {
      this.removeAt(i);
      return true;
    }
    return this.overflow?.delete(signal) === true;
  }

  private indexOf(signal: AbortSignal): number {
    const signals = this.signals;
    for (let i = 0; i < this.used; i++) if (signals[i] === signal) return i;
    return -1;
  }

  /** The last entry in use moves into slot `i`; the slot it leaves is cleared. */
  private removeAt(i: number): void {
    const last = --this.used;
    this.signals[i] = this.signals[last];
    this.counts[i] = this.counts[last]!;
    this.signals[last] = undefined;
  }
}

/** Distinct signals kept in the linear arrays; more go to a Map. */
const LINEAR_LIMIT = 64;
