/**
 * `cqlwire export --table ... --workers N`: N worker threads, worker k exporting shard k/N with a
 * Cluster and connections of its own into its own part file and checkpoint. Rows are decoded and
 * encoded on N cores instead of one; the main thread only adds up the workers' progress.
 *
 * The CLI runs from the built JavaScript (dist/) and, in a clone, from the TypeScript sources
 * through tsx. A worker thread does not inherit tsx's loader, so under tsx the worker is started
 * from a small module that registers it first.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ConnectionArgs } from './connection-args.js';
import type { ShardExportResult, ShardExportSpec, ShardProgress } from './export-table-run.js';

/** What a worker is given. */
export interface ExportWorkerTask {
  readonly spec: ShardExportSpec;
  readonly connection: ConnectionArgs;
}

/**
 * How a worker's export ended, as it crosses back to the main thread: its shard export's result,
 * a failure carrying the text of its error (`message`) instead of the error.
 */
export type ExportWorkerResult =
  | Exclude<ShardExportResult, { readonly status: 'failed' }>
  | (Omit<Extract<ShardExportResult, { readonly status: 'failed' }>, 'error'> & { readonly message: string });

/** Messages from a worker to the main thread. */
export type ExportWorkerMessage =
  | { readonly type: 'progress'; readonly progress: ShardProgress }
  | { readonly type: 'result'; readonly result: ExportWorkerResult };

/** The message the main thread sends a worker to stop it (it saves its checkpoint and reports). */
export const STOP_MESSAGE = 'stop';

/** Starts the worker thread of `task`, from dist/ or, under tsx, from the TypeScript source. */
export function startExportWorker(task: ExportWorkerTask): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './export-worker.ts' : './export-worker.js', import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: task });
  // tsx's ESM API module (its package exports it beside the CommonJS one require.resolve finds)
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: task });
}

/** Totals of several shards' progress. */
export function sumProgress(all: readonly ShardProgress[]): ShardProgress {
  let rowsWritten = 0;
  let pagesWritten = 0;
  let rangesDone = 0;
  let rangesTotal = 0;
  for (const p of all) {
    rowsWritten += p.rowsWritten;
    pagesWritten += p.pagesWritten;
    rangesDone += p.rangesDone;
    rangesTotal += p.rangesTotal;
  }
  return { rowsWritten, pagesWritten, rangesDone, rangesTotal };
}

/**
 * Runs one worker per task and resolves with their results in task order; `onProgress` gets the
 * totals after any worker's page. Aborting `signal` asks every worker to stop.
 */
export function runExportWorkers(
  tasks: readonly ExportWorkerTask[],
  onProgress: (total: ShardProgress) => void,
  signal: AbortSignal | undefined,
): Promise<ExportWorkerResult[]> {
  const latest: ShardProgress[] = tasks.map(() => ({ rowsWritten: 0, pagesWritten: 0, rangesDone: 0, rangesTotal: 0 }));
  const workers = tasks.map((task) => startExportWorker(task));
  const stopAll = (): void => {
    for (const w of workers) w.postMessage(STOP_MESSAGE);
  };
  signal?.addEventListener('abort', stopAll, { once: true });
  if (signal?.aborted === true) stopAll();
  const results = workers.map(
    (worker, k) =>
      new Promise<ExportWorkerResult>((resolve) => {
        let result: ExportWorkerResult | undefined;
        worker.on('message', (m: ExportWorkerMessage) => {
          if (m.type === 'progress') {
            latest[k] = m.progress;
            onProgress(sumProgress(latest));
          } else {
            result = m.result;
          }
        });
        worker.once('error', (error) => {
          result ??= { status: 'failed', message: error.message, rowsThisRun: 0, progress: latest[k]! };
        });
        worker.once('exit', (code) => {
          resolve(
            result ?? {
              status: 'failed',
              message: `worker exited with code ${code}`,
              rowsThisRun: 0,
              progress: latest[k]!,
            },
          );
        });
      }),
  );
  return Promise.all(results).finally(() => signal?.removeEventListener('abort', stopAll));
}
