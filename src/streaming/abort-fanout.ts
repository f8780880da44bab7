/**
 * One 'abort' listener per caller's AbortSignal, however many streams and requests wait on it:
 * many concurrent streams under one deadline signal would otherwise each add a listener and trip
 * Node's MaxListenersExceededWarning past ten. The listener is removed again as soon as the last
 * waiter stops, so a long-lived (or kept) signal holds nothing once its streams and requests are
 * done.
 *
 * The waiters on a signal are a list linked through the waiters themselves: waiting and stopping
 * allocate nothing and change no Set or Map. A speculated request waits on its caller's signal
 * (speculative-execution.ts), and with a listener added and removed per request on a long-lived
 * signal, requests stayed alive through the young-generation collections, to be promoted and die
 * in the old generation (measured: the heap grew by 1.5-2 MB per young collection with 16
 * speculated requests in flight on one signal, and not without the signal).
 */

/** Something waiting on a signal; the list of a signal's waiters runs through these fields. */
export interface AbortWaiter {
  nextWaiting: AbortWaiter | undefined;
  prevWaiting: AbortWaiter | undefined;
  /** The signal aborted (called once, with its reason). */
  signalAborted(reason: unknown): void;
}

/** The waiters on one signal in the order they came, and the one 'abort' listener on it (`handleEvent`). */
export class AbortWaitList {
  private head: AbortWaiter | undefined = undefined;
  private tail: AbortWaiter | undefined = undefined;
  /** The signal aborted: the list was handed out and is not used again. */
  private done = false;

  constructor(private readonly signal: AbortSignal) {}

  add(waiter: AbortWaiter): void {
    waiter.nextWaiting = undefined;
    waiter.prevWaiting = this.tail;
    if (this.tail === undefined) this.head = waiter;
    else this.tail.nextWaiting = waiter;
    this.tail = waiter;
  }

  /** Takes `waiter` off the list; the last one leaving takes the listener off the signal. */
  remove(waiter: AbortWaiter): void {
    const { prevWaiting, nextWaiting } = waiter;
    waiter.nextWaiting = undefined;
    waiter.prevWaiting = undefined;
    if (this.done) return;
    if (prevWaiting === undefined) {
      if (this.head !== waiter) return; // not listed
      this.head = nextWaiting;
    } else prevWaiting.nextWaiting = nextWaiting;
    if (nextWaiting === undefined) this.tail = prevWaiting;
    else nextWaiting.prevWaiting = prevWaiting;
    if (this.head === undefined) {
      this.signal.removeEventListener('abort', this);
      if (lists.get(this.signal) === this) lists.delete(this.signal);
    }
  }

  /** The signal aborted: every waiter listed now is told once, in turn. */
  handleEvent(): void {
    this.done = true;
    lists.delete(this.signal);
    let waiter = this.head;
    this.head = undefined;
    this.tail = undefined;
    while (waiter !== undefined) {
      const next = waiter.nextWaiting;
      waiter.nextWaiting = undefined;
      waiter.prevWaiting = undefined;
      waiter.signalAborted(this.signal.reason);
      waiter = next;
    }
  }
}

const lists = new WeakMap<AbortSignal, AbortWaitList>();

/** Lists `waiter` until `signal` aborts; leave with the returned list's `remove(waiter)`. */
export function waitForAbort(signal: AbortSignal, waiter: AbortWaiter): AbortWaitList {
  let list = lists.get(signal);
  if (list === undefined) {
    list = new AbortWaitList(signal);
    lists.set(signal, list);
    signal.addEventListener('abort', list, { once: true });
  }
  list.add(waiter);
  return list;
}

/** Calls `listener` once when `signal` aborts; returns the function that stops watching. */
export function watchAbort(signal: AbortSignal, listener: () => void): () => void {
  const waiter: AbortWaiter = {
    nextWaiting: undefined,
    prevWaiting: undefined,
    signalAborted: listener,
  };
  const list = waitForAbort(signal, waiter);
  return () => list.remove(waiter);
}
