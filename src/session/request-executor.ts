import type { ClusterTopology, Host, LoadBalancingPolicy, RetryPolicy, RoutingInfo } from '../cluster/index.js';
import { ClusterMetrics, NoHostAvailableError } from '../cluster/index.js';
import { ConnectionError, RequestCancelledError, type Response, type SendOptions } from '../connection/index.js';
import { Opcode } from '../protocol/envelope/index.js';
import { ArgumentError, UnpreparedError } from '../protocol/errors/index.js';
import type { PreparedResult, RequestMessage } from '../protocol/messages/index.js';
import type { PreparedStatement } from './prepared-statement.js';
import { withRequestContext } from './request-error-context.js';
import {
  attemptSent,
  attemptSettled,
  requestAnswered,
  requestFailed,
  requestRetried,
  requestStarted,
  type StreamPageRef,
} from './request-observer.js';
import type { SessionPools } from './session-pools.js';
import {
  type ExecutionSink,
  type PlanExecution,
  QueryPlanCursor,
  runSpeculatively,
  type SpeculationObserver,
  type SpeculativeSchedule,
} from './speculative-execution.js';

/** One request to run over the query plan. */
export interface RequestPlan {
  request: RequestMessage;
  sendOptions: SendOptions;
  routing: RoutingInfo | undefined;
  idempotent: boolean;
  retryPolicy: RetryPolicy;
  /** Tried first when up (the coordinator of the previous page of a stream). */
  hostHint?: Host | undefined;
  /** The prepared statements the request uses, for re-preparing on UNPREPARED. */
  prepared?: readonly PreparedStatement[] | undefined;
  /**
   * Speculative execution: when set, an idempotent request is also sent to the next host of the
   * plan after the policy's delay (speculative-execution.ts); a non-idempotent one is only timed.
   */
  speculation?: SpeculativeSchedule | undefined;
  /** A stream page: its number in the stream and the stream's attempt at it (diagnostics, metrics). */
  page?: StreamPageRef | undefined;
}

/** The answer, the host that gave it and every host tried. */
export interface Executed {
  response: Response;
  host: Host;
  tried: Host[];
}

/** Re-preparations per request: a node that keeps forgetting its statements is not retried forever. */
const MAX_REPREPARES = 3;

/**
 * Sends a request to the hosts of the query plan in order until one answers or the retry policy
 * gives up: same host, next host, or rethrow (see `DefaultRetryPolicy`). An UNPREPARED answer
 * re-prepares the statement on that host and sends again (not counted as a retry). A host whose
 * pool cannot open a connection is marked down. When every host failed: `NoHostAvailableError`
 * with each host's last error.
 */
export class RequestExecutor {
  /** The cluster's metrics (a topology stand-in without them, as in unit tests, gets its own). */
  private readonly metrics: ClusterMetrics;

  constructor(
    private readonly topology: ClusterTopology,
    private readonly pools: SessionPools,
    private readonly loadBalancing: LoadBalancingPolicy,
  ) {
    this.metrics = (topology as Partial<ClusterTopology>).metrics ?? new ClusterMetrics();
  }

  /** The hosts to try for `routing`, with `hint` first when it is up. */
  queryPlan(routing: RoutingInfo | undefined, hint: Host | undefined): Host[] {
    const plan = this.loadBalancing.newQueryPlan(routing);
    if (hint?.isUp === true) {
      const i = plan.indexOf(hint);
      if (i > 0) plan.splice(i, 1);
      if (i !== 0) plan.unshift(hint);
    }
    return plan;
  }

  /**
   * Runs the plan. An error the retry policy gives up on reaches the caller with the statement it
   * answered (a `ServerError`'s `query`) and a stack taken on the caller's async path
   * (request-error-context.ts); done at the throw, so the path that succeeds pays nothing for it.
   * Metrics always; channels and tracing channels only when subscribed (request-observer.ts).
   */
  run(plan: RequestPlan): Promise<Executed> {
    const startedAt = requestStarted(this.metrics, plan, this.pools.currentKeyspace);
    return plan.speculation !== undefined
      ? this.runSpeculated(plan, plan.speculation, startedAt)
      : (this.attempts(plan, undefined, plan.sendOptions, startedAt, undefined) as Promise<Executed>);
  }

  /**
   * A request under a speculative-execution schedule (speculative-execution.ts); the runner tells
   * `speculation` how it ended, so no async function wraps it to record that.
   */
  private runSpeculated(plan: RequestPlan, schedule: SpeculativeSchedule, startedAt: number): Promise<Executed> {
    let cursor: QueryPlanCursor;
    try {
      cursor = new QueryPlanCursor(this.queryPlan(plan.routing, plan.hostHint));
    } catch (error) {
      requestFailed(this.metrics, plan, error as Error, startedAt);
      return Promise.reject(error);
    }
    return runSpeculatively(plan, schedule, cursor, this.execution, this.speculation, startedAt);
  }

  /** Records what a speculated request does in the cluster's metrics and channels. */
  private readonly speculation: SpeculationObserver<RequestPlan> = {
    speculating: (host) => this.metrics.recordSpeculativeExecution(host),
    requestEnded: (plan, executed, error, startedAt, endedAt) => {
      if (executed !== undefined) requestAnswered(this.metrics, plan, executed, startedAt, endedAt);
      else requestFailed(this.metrics, plan, error as Error, startedAt);
    },
  };

  /** One execution of a speculated request over the cursor its executions share. */
  private readonly execution: PlanExecution<RequestPlan> = (plan, cursor, sendOptions, startedAt, sink) => {
    void this.attempts(plan, cursor, sendOptions, startedAt, sink);
  };

  /**
   * Sends to the cursor's next host, then as the retry policy decides (same host, the cursor's
   * next host, or rethrow). With `shared` and `sink` undefined this is the whole request: it
   * builds the query plan, records the request's end in the metrics and channels, and rejects
   * with `NoHostAvailableError` when every host failed (one async function per request, no
   * wrapper around it). With both it is one execution of a speculated request (speculative
   * executions of one request share the cursor, so each goes to the next host): it reports to
   * `sink` (undefined when the cursor ran out of hosts), never rejects, and the runner records the
   * request's end. `startedAt` is the first attempt's start.
   */
  private async attempts(
    plan: RequestPlan,
    shared: QueryPlanCursor | undefined,
    sendOptions: SendOptions,
    startedAt: number,
    sink: ExecutionSink | undefined,
  ): Promise<Executed | undefined> {
    let executed: Executed | undefined;
    let answeredAt = 0;
    try {
      const cursor = shared ?? new QueryPlanCursor(this.queryPlan(plan.routing, plan.hostHint));
      let retries = 0;
      let reprepares = 0;
      let sentAt = startedAt;
      for (let host = cursor.next(); host !== undefined; sentAt = performance.now()) {
        cursor.tried(host);
        const counters = attemptSent(this.metrics, plan, host);
        try {
          const response = await this.pools.get(host).send(plan.request, sendOptions);
          answeredAt = attemptSettled(this.metrics, counters, sentAt, undefined);
          executed = { response, host, tried: cursor.triedHosts };
          break;
        } catch (caught) {
          const error = caught as Error;
          attemptSettled(this.metrics, counters, sentAt, error);
          if (error instanceof ArgumentError || error instanceof RequestCancelledError) throw error;
          if (error instanceof UnpreparedError && plan.prepared !== undefined && reprepares < MAX_REPREPARES) {
            reprepares++;
            try {
              await this.reprepare(host, plan, error.preparedId);
              continue; // same host, now that it knows the statement
            } catch (prepareError) {
              cursor.errors.set(host.endpoint, prepareError as Error);
              host = cursor.next();
              continue;
            }
          }
          if (error instanceof ConnectionError) this.topology.markDown(host);
          cursor.errors.set(host.endpoint, error);
          const decision = plan.retryPolicy.onError({ error, retries, idempotent: plan.idempotent });
          if (decision.action === 'rethrow') throw withRequestContext(error, plan.request, plan.prepared);
          retries++;
          const failed = host;
          if (decision.action === 'retry-next' || !host.isUp) host = cursor.next();
          if (host !== undefined) requestRetried(this.metrics, plan, error, failed, host, retries);
        }
      }
      if (executed === undefined && sink === undefined) throw new NoHostAvailableError(cursor.errors);
    } catch (error) {
      if (sink !== undefined) {
        sink.executionFailed(error);
        return undefined;
      }
      requestFailed(this.metrics, plan, error as Error, startedAt);
      throw error;
    }
    if (sink !== undefined) {
      sink.executionEnded(executed, startedAt);
      return undefined;
    }
    requestAnswered(this.metrics, plan, executed!, startedAt, answeredAt);
    return executed;
  }

  /** PREPAREs the statement with `id` again on `host` and points the request at the new ids. */
  private async reprepare(host: Host, plan: RequestPlan, id: Buffer): Promise<void> {
    const stmt =
      plan.prepared!.find((s) => s.id.equals(id)) ?? (plan.prepared!.length === 1 ? plan.prepared![0] : undefined);
    if (stmt === undefined)
      throw new UnpreparedError(`the request holds no statement with this id`, { preparedId: id });
    const oldId = stmt.id;
    const response = await this.pools.get(host).send(
      {
        opcode: Opcode.PREPARE,
        query: stmt.query,
        ...(this.topology.protocolVersion === 5 &&
        stmt.keyspace !== undefined &&
        stmt.keyspace !== this.pools.currentKeyspace
          ? { keyspace: stmt.keyspace }
          : {}),
      },
      { timeoutMs: plan.sendOptions.timeoutMs },
    );
    const result = response.message as PreparedResult;
    stmt.refresh(result);
    const request = plan.request;
    if (request.opcode === Opcode.EXECUTE) {
      request.id = stmt.id;
      if (stmt.resultMetadataId !== undefined) request.resultMetadataId = stmt.resultMetadataId;
    } else if (request.opcode === Opcode.BATCH) {
      request.statements = request.statements.map((s) =>
        s.id?.equals(oldId) === true ? { id: stmt.id, values: s.values } : s,
      );
    }
  }
}
