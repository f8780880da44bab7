/**
 * The body of one `--workers` thread: connects with a Cluster of its own, exports its shard into
 * its part file (export-table-run.ts), posts its progress after each page and its result at the
 * end. The main thread's stop message aborts the scan: the checkpoint stays at the last page written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { clusterOptionsOf, connectCluster, connectFailureText, redactor } from './connection-args.js';
import { exportShard } from './export-table-run.js';
import {
  type ExportWorkerMessage,
  type ExportWorkerResult,
  type ExportWorkerTask,
  STOP_MESSAGE,
} from './export-workers.js';

async function runWorker(task: ExportWorkerTask): Promise<ExportWorkerResult> {
  const abort = new AbortController();
  parentPort?.on('message', (m: unknown) => {
    if (m === STOP_MESSAGE) abort.abort(new Error('interrupted (SIGINT)'));
  });
  const redact = redactor(task.connection.password);
  const empty = { rowsWritten: 0, pagesWritten: 0, rangesDone: 0, rangesTotal: 0 };
  let connection;
  try {
    connection = await connectCluster(clusterOptionsOf(task.connection, task.spec.fetchSize), task.connection.keyspace);
  } catch (error) {
    return {
      status: 'failed',
      message: redact(connectFailureText(error, task.connection.contactPoints)),
      rowsThisRun: 0,
      progress: empty,
    };
  }
  try {
    const result = await exportShard(connection.session, task.spec, {
      signal: abort.signal,
      onPage: (progress) => parentPort?.postMessage({ type: 'progress', progress } satisfies ExportWorkerMessage),
    });
    if (result.status !== 'failed') return result;
    const error = result.error as { cause?: unknown; message?: string };
    const cause = error.cause instanceof Error ? error.cause : result.error;
    return {
      status: 'failed',
      message: redact(cause instanceof Error ? cause.message : String(cause)),
      rowsThisRun: result.rowsThisRun,
      progress: result.progress,
    };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

const result = await runWorker(workerData as ExportWorkerTask);
parentPort?.postMessage({ type: 'result', result } satisfies ExportWorkerMessage);
parentPort?.close();
