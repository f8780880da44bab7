/**
 * One 'abort' listener per user AbortSignal, however many streams share it: many concurrent
 * streams under one deadline signal would otherwise each add a listener and trip Node's
 * MaxListenersExceededWarning past ten. The listener is removed again as soon as the last stream
 * stops watching, so a long-lived (or kept) signal holds nothing once its streams are done.
 */
interface Watch {
  readonly listeners: Set<() => void>;
  readonly onAbort: () => void;
}

const watches = new WeakMap<AbortSignal, Watch>();

/** Calls `listener` once when `signal` aborts; returns the function that stops watching. */
export function watchAbort(signal: AbortSignal, listener: () => void): () => void {
  let watch = watches.get(signal);
  if (watch === undefined) {
    const listeners = new Set<() => void>();
    const onAbort = (): void => {
      watches.delete(signal);
      const now = [...listeners];
      listeners.clear();
      for (const fn of now) fn();
    };
    watch = { listeners, onAbort };
    watches.set(signal, watch);
    signal.addEventListener('abort', onAbort, { once: true });
  }
  const current = watch;
  current.listeners.add(listener);
  return () => {
    if (!current.listeners.delete(listener) || current.listeners.size > 0) return;
    // Last watcher gone: take our listener off the caller's signal (and forget the signal), so
    // the next watchAbort on it starts afresh.
    signal.removeEventListener('abort', current.onAbort);
    if (watches.get(signal) === current) watches.delete(signal);
  };
}
