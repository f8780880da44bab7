import { constants, PerformanceObserver } from 'node:perf_hooks';

/**
 * Counts the full (mark-compact) collections from now on; `stop()` resolves with their number
 * (after a short wait: the observer hears of a collection asynchronously).
 */
export function countMajorCollections(): { stop(): Promise<number> } {
  let majors = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    async stop(): Promise<number> {
      await new Promise((resolve) => setTimeout(resolve, 50));
      observer.disconnect();
      return majors;
    },
  };
}
