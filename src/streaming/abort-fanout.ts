/**
 * One 'abort' listener per user AbortSignal, however many streams share it: many concurrent
 * streams under one deadline signal would otherwise each add a listener and trip Node's
 * MaxListenersExceededWarning past ten.
 */
const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `listener` once when `signal` aborts; returns the function that stops watching. */
export function watchAbort(signal: AbortSignal, listener: () => void): () => void {
  let listeners = watchers.get(signal);
  if (listeners === undefined) {
    const set = new Set<() => void>();
    listeners = set;
    watchers.set(signal, set);
    signal.addEventListener('abort', () => {
      const now = [...set];
      set.clear();
      for (const fn of now) fn();
    }, { once: true });
  }
  const set = listeners;
  set.add(listener);
  return () => { set.delete(listener); };
}
