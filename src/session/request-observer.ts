import type { ClusterMetrics } from '../cluster/index.js';
import type { Response } from '../connection/index.js';
import {
  channels,
  type DiagnosticsHost,
  isRequestObserved,
  type RequestDiagnostics,
  type RequestKind,
  tracingChannels,
} from '../diagnostics/index.js';
import type { Consistency } from '../protocol/consistency.js';
import { Opcode } from '../protocol/envelope/index.js';
import type { RequestMessage } from '../protocol/messages/index.js';

/** What the observer reads of a request plan (`RequestPlan` satisfies it). */
export interface ObservedPlan {
  readonly request: RequestMessage;
  readonly idempotent: boolean;
  readonly prepared?: readonly { readonly query: string }[] | undefined;
  /** Stream pages: the page's number in its stream and the stream's attempt at it. */
  readonly page?: StreamPageRef | undefined;
}

/** Which page of a stream a request fetches. */
export interface StreamPageRef {
  readonly pageNumber: number;
  readonly attempt: number;
}

/** The diagnostics object of each observed plan; plans nobody observes are never entered. */
const NO_WARNINGS: readonly string[] = Object.freeze([]);

/** A host's counters in the cluster's metrics, held by an attempt from its start to its end. */
export type AttemptCounters = ReturnType<ClusterMetrics['attemptStarted']>;

const observed = new WeakMap<ObservedPlan, RequestDiagnostics>();
/** How many plans `observed` holds: while 0 (nobody subscribed), settling a request skips the lookup. */
let observedCount = 0;

function kindOf(plan: ObservedPlan): RequestKind {
  const opcode = plan.request.opcode;
  if (opcode === Opcode.BATCH) return 'batch';
  if (opcode === Opcode.PREPARE) return 'prepare';
  return plan.page !== undefined ? 'page' : 'execute';
}

/** @internal Builds the message object of a request (only called when someone listens). */
export function describeRequest(
  plan: ObservedPlan,
  kind: RequestKind,
  sessionKeyspace: string | undefined,
): RequestDiagnostics {
  const r = plan.request;
  let query: string | undefined;
  let preparedId: Buffer | undefined;
  let batchSize: number | undefined;
  let keyspace: string | undefined;
  let consistency: Consistency | undefined;
  switch (r.opcode) {
    case Opcode.QUERY:
      query = r.query;
      keyspace = r.params.keyspace;
      consistency = r.params.consistency as Consistency;
      break;
    case Opcode.EXECUTE:
      query = plan.prepared?.[0]?.query;
      preparedId = r.id;
      consistency = r.params.consistency as Consistency;
      break;
    case Opcode.BATCH:
      batchSize = r.statements.length;
      keyspace = r.keyspace;
      consistency = r.consistency as Consistency;
      break;
    case Opcode.PREPARE:
      query = r.query;
      keyspace = r.keyspace;
      break;
    default:
      break;
  }
  return {
    kind,
    query,
    preparedId,
    batchSize,
    keyspace: keyspace ?? sessionKeyspace,
    consistency,
    pageNumber: plan.page?.pageNumber,
    attempt: plan.page?.attempt,
    idempotent: plan.idempotent,
    startedAt: performance.now(),
    result: undefined,
    error: undefined,
  };
}

/** @internal The message builder, behind an object so a test can check it is not called without subscribers. */
export const requestDescription = { describe: describeRequest };

/**
 * A request starts: counted in `metrics`; only when a channel or tracing channel has a subscriber
 * is it described, announced on `cqlwire:request:create` and opened on its tracing channel
 * (`start` then `end`, as `tracePromise` publishes them once the call has returned its promise).
 * Returns the start time for {@link requestAnswered} / {@link requestFailed}. Plain calls, no
 * wrapper around the request's promise: the executor awaits it directly.
 */
export function requestStarted(
  metrics: ClusterMetrics,
  plan: ObservedPlan,
  sessionKeyspace: string | undefined,
): number {
  metrics.requestStarted();
  if (plan.page !== undefined && plan.page.attempt > 1) metrics.recordRetry(undefined);
  const kind = kindOf(plan);
  if (isRequestObserved(kind)) {
    const d = requestDescription.describe(plan, kind, sessionKeyspace);
    observed.set(plan, d);
    observedCount++;
    if (channels.requestCreate.hasSubscribers) channels.requestCreate.publish({ request: d });
    const t = tracingChannels[kind];
    if (t.start.hasSubscribers) t.start.publish(d);
    if (t.end.hasSubscribers) t.end.publish(d);
    return d.startedAt;
  }
  return performance.now();
}

/**
 * The request started at `startedAt` answered at `answeredAt` (the clock read its last attempt's
 * end took: one read serves both).
 */
export function requestAnswered(
  metrics: ClusterMetrics,
  plan: ObservedPlan,
  executed: { response: Response; host: DiagnosticsHost },
  startedAt: number,
  answeredAt: number,
): void {
  const latencyMs = answeredAt - startedAt;
  metrics.requestSucceeded(latencyMs);
  if (observedCount === 0) return;
  const d = observed.get(plan);
  if (d === undefined) return;
  observed.delete(plan);
  observedCount--;
  if (channels.requestResponse.hasSubscribers) {
    const message = executed.response.message;
    const rows = message.opcode === Opcode.RESULT && message.kind === 'rows' ? message : undefined;
    channels.requestResponse.publish({
      request: d,
      host: executed.host,
      latencyMs,
      rows: rows?.rowCount ?? 0,
      bytes: rows?.body.length ?? 0,
      warnings: executed.response.warnings ?? NO_WARNINGS,
    });
  }
  d.result = executed.response;
  const t = tracingChannels[d.kind];
  if (t.asyncStart.hasSubscribers) t.asyncStart.publish(d);
  if (t.asyncEnd.hasSubscribers) t.asyncEnd.publish(d);
}

/** The request started at `startedAt` failed for good with `error` (the error the caller gets). */
export function requestFailed(metrics: ClusterMetrics, plan: ObservedPlan, error: Error, startedAt: number): void {
  const latencyMs = performance.now() - startedAt;
  metrics.requestFailed(error, latencyMs);
  if (observedCount === 0) return;
  const d = observed.get(plan);
  if (d === undefined) return;
  observed.delete(plan);
  observedCount--;
  if (channels.requestError.hasSubscribers) channels.requestError.publish({ request: d, error, latencyMs });
  d.error = error;
  const t = tracingChannels[d.kind];
  if (t.error.hasSubscribers) t.error.publish(d);
  if (t.asyncStart.hasSubscribers) t.asyncStart.publish(d);
  if (t.asyncEnd.hasSubscribers) t.asyncEnd.publish(d);
}

/**
 * An attempt of `plan` goes to `host`: counted on the host; returns the host's counters for
 * {@link attemptSettled}. The caller keeps the attempt's start time: a request's first attempt
 * starts with the request (its query plan is built in between, well under a microsecond), so
 * the request's clock read serves both.
 */
export function attemptSent(metrics: ClusterMetrics, plan: ObservedPlan, host: DiagnosticsHost): AttemptCounters {
  const counters = metrics.attemptStarted(host);
  if (channels.requestSent.hasSubscribers) {
    const d = observed.get(plan);
    if (d !== undefined) channels.requestSent.publish({ request: d, host });
  }
  return counters;
}

/**
 * The attempt started at `sentAt` on the host of `counters` answered (`error` undefined) or
 * failed; returns the time it settled (for {@link requestAnswered}).
 */
export function attemptSettled(
  metrics: ClusterMetrics,
  counters: AttemptCounters,
  sentAt: number,
  error: Error | undefined,
): number {
  const now = performance.now();
  if (error === undefined) metrics.attemptSucceeded(counters, now - sentAt);
  else metrics.attemptFailed(counters, error, now - sentAt);
  return now;
}

/** The retry policy retries `plan` after `error` on `host`, next on `nextHost` when known. */
export function requestRetried(
  metrics: ClusterMetrics,
  plan: ObservedPlan,
  error: Error,
  host: DiagnosticsHost,
  nextHost: DiagnosticsHost | undefined,
  retry: number,
): void {
  metrics.recordRetry(host);
  if (channels.requestRetry.hasSubscribers) {
    const d = observed.get(plan);
    channels.requestRetry.publish({
      request: d,
      error,
      host: host.endpoint,
      nextHost: nextHost?.endpoint,
      pageNumber: d?.pageNumber,
      retry,
    });
  }
}
