import type { Host } from '../cluster/index.js';
import { NoHostAvailableError } from '../cluster/index.js';
import type { Response, SendOptions } from '../connection/index.js';
import { anchorMap } from '../protocol/map-anchors.js';
import { type AbortWaiter, type AbortWaitList, waitForAbort } from '../streaming/index.js';
import type { SpeculativeExecutionPolicy } from './speculative-policy.js';

/** What the runner reads of a request plan (`RequestPlan` has it; declared here so the executor's module is not imported back). */
export interface SpeculatedPlan {
  readonly idempotent: boolean;
  readonly sendOptions: SendOptions;
}

/** The answer of an execution, the host that gave it and the hosts tried (`Executed`). */
export interface ExecutionAnswer {
  response: Response;
  host: Host;
  tried: Host[];
}

/**
 * What a request carries to speculate: a policy, or the plain `{ delayMs, maxExtra }` of a
 * constant delay (as the cluster option and execution profiles resolve it).
 */
export type SpeculativeSchedule = SpeculativeExecutionPolicy | { readonly delayMs: number; readonly maxExtra: number };

/**
 * The wait before extra execution `n` (1 for the first extra one), the previous one having
 * started at `now` (`performance.now()`); undefined: start no more.
 */
function delayBefore(schedule: SpeculativeSchedule, n: number, now: number): number | undefined {
  if (n > schedule.maxExtra) return undefined;
  return 'nextDelayMs' in schedule ? schedule.nextDelayMs(n, now) : schedule.delayMs;
}

function recordLatency(schedule: SpeculativeSchedule, latencyMs: number, now: number): void {
  if ('recordLatency' in schedule) schedule.recordLatency?.(latencyMs, now);
}

/**
 * The hosts of one request's query plan, handed out in order. Every execution of the request
 * (the first and the speculative ones) takes its hosts from the same cursor, so each goes to the
 * next host of the plan and no two executions try the same host.
 */
export class QueryPlanCursor {
  /** Every host tried so far, in the order first tried. */
  readonly triedHosts: Host[] = [];
  private index = 0;
  private errorsByHost: Map<string, Error> | undefined = undefined;

  constructor(private readonly hosts: readonly Host[]) {}

  /**
   * The last error of each host tried (for `NoHostAvailableError`), keyed by `address:port`;
   * made on first use: a request that is answered at once never needs it.
   */
  get errors(): Map<string, Error> {
    this.errorsByHost ??= new Map();
    return this.errorsByHost;
  }

  /** The next host of the plan that is up, or undefined when none is left. */
  next(): Host | undefined {
    while (this.index < this.hosts.length) {
      const host = this.hosts[this.index++]!;
      if (host.isUp) return host;
    }
    return undefined;
  }

  /** The host `next()` would give, without taking it. */
  peek(): Host | undefined {
    for (let i = this.index; i < this.hosts.length; i++) if (this.hosts[i]!.isUp) return this.hosts[i];
    return undefined;
  }

  /** Notes that a request goes to `host`. */
  tried(host: Host): void {
    if (!this.triedHosts.includes(host)) this.triedHosts.push(host);
  }
}

/**
 * Where an execution reports how it ended: the run it belongs to. An execution calls exactly one
 * of these, once (no promise per execution for the run to wait on, and no closures to wait with).
 */
export interface ExecutionSink {
  /** The execution got `executed`, or ran out of hosts (undefined); `startedAt` as it was given. */
  executionEnded(executed: ExecutionAnswer | undefined, startedAt: number): void;
  /** The execution failed: an error the retry policy gave up on, or a cancellation. */
  executionFailed(error: unknown): void;
}

/**
 * One execution of a request over a cursor, reporting to `sink` (it must not throw: whatever goes
 * wrong goes to `executionFailed`). `startedAt` (`performance.now()`) is when the runner started
 * it: its first attempt's start.
 */
export type PlanExecution<P extends SpeculatedPlan> = (
  plan: P,
  cursor: QueryPlanCursor,
  sendOptions: SendOptions,
  startedAt: number,
  sink: ExecutionSink,
) => void;

/**
 * Told what a speculated request does (the cluster's metrics and channels): one object for all
 * requests, not one per request.
 */
export interface SpeculationObserver<P extends SpeculatedPlan> {
  /** A speculative execution starts on `host`. */
  speculating?(host: Host): void;
  /**
   * The request ended at `endedAt` (`performance.now()`), just before its promise settles:
   * answered (`executed`) or failed with `error`. `startedAt` is the value given to
   * `runSpeculatively`.
   */
  requestEnded?(
    plan: P,
    executed: ExecutionAnswer | undefined,
    error: unknown,
    startedAt: number,
    endedAt: number,
  ): void;
}

/** The resolving functions of the promise `runSpeculatively` is making (no executor closure per request). */
let capturedResolve: ((executed: ExecutionAnswer) => void) | undefined;
let capturedReject: ((error: unknown) => void) | undefined;

function captureResolvers(resolve: (executed: ExecutionAnswer) => void, reject: (error: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/**
 * Runs a request under a speculative-execution policy. A non-idempotent request runs once, as
 * without a policy (only its latency is recorded). An idempotent one starts on the plan's first
 * host; each time the policy's delay passes without an answer, one more execution starts on the
 * next host of the plan, up to `maxExtra` of them. The first answer wins: the other executions
 * are cancelled (their stream ids stay held until their late answers arrive, which are then
 * dropped). An error the retry policy gives up on, or the caller's signal, ends the request at
 * once; when every execution ran out of hosts: `NoHostAvailableError`. `startedAt` is the
 * request's start as the observer counts it.
 */
export function runSpeculatively<P extends SpeculatedPlan>(
  plan: P,
  policy: SpeculativeSchedule,
  cursor: QueryPlanCursor,
  execution: PlanExecution<P>,
  observer?: SpeculationObserver<P>,
  startedAt: number = performance.now(),
): Promise<ExecutionAnswer> {
  const promise = new Promise<ExecutionAnswer>(captureResolvers);
  const run = new SpeculativeRun(
    plan,
    policy,
    cursor,
    execution,
    observer,
    startedAt,
    capturedResolve!,
    capturedReject!,
  );
  capturedResolve = undefined;
  capturedReject = undefined;
  run.start();
  return promise;
}

/** Why a losing execution was cancelled (made once: cancelling allocates nothing more). */
const SUPERSEDED = new Error('another execution of the request answered first');

/** What an 'abort' listener of an {@link ExecutionSignal} is called with: the event's `type` and `target`. */
interface ExecutionAbortEvent {
  readonly type: 'abort';
  readonly target: ExecutionSignal;
}

/**
 * The cancel signal of one execution: the part of `AbortSignal` a connection reads (`aborted`,
 * `reason`, one 'abort' listener at a time, called with an event whose `target` is the signal; an
 * execution sends one request at a time), without an `AbortController` per request: that, its
 * EventTarget listeners and the DOMException of `abort()` cost more than the rest of a small
 * request.
 */
class ExecutionSignal {
  aborted = false;
  reason: unknown = undefined;
  private listener: ((event: ExecutionAbortEvent) => void) | undefined = undefined;

  addEventListener(_type: 'abort', listener: (event: ExecutionAbortEvent) => void): void {
    this.listener = listener;
  }

  removeEventListener(_type: 'abort', listener: (event: ExecutionAbortEvent) => void): void {
    if (this.listener === listener) this.listener = undefined;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listener = this.listener;
    this.listener = undefined;
    listener?.({ type: 'abort', target: this });
  }
}

/**
 * The timers of speculative executions: one Node timer for every armed run, not one per request
 * (a timer per small request cost more than the rest of the speculative path). Runs wait in a
 * FIFO linked through themselves, in the order armed; their delays are the policy's, so they fall
 * due in that order (a percentile policy whose delay shrank lets a later run wait for the earlier
 * ones, at most the difference). A run that settles leaves the queue at once. Due runs start
 * only after the event loop has read its sockets (see `fire`). The timer is unref'd: a pending
 * request's socket keeps the process alive, not this.
 */
/** A run as the clock queues it (a doubly linked list through the runs: no allocation per request). */
interface DueRun {
  dueAt: number;
  nextDue: DueRun | undefined;
  prevDue: DueRun | undefined;
  /** The armed execution is due. */
  due(): void;
}

class SpeculationClock {
  private head: DueRun | undefined = undefined;
  private tail: DueRun | undefined = undefined;
  private timer: NodeJS.Timeout | undefined = undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  /** startDue is set to run after the next poll phase. */
  private startPending = false;

  add(run: DueRun, dueAt: number): void {
    run.dueAt = dueAt;
    run.nextDue = undefined;
    run.prevDue = this.tail;
    if (this.tail === undefined) this.head = run;
    else this.tail.nextDue = run;
    this.tail = run;
    if (dueAt < this.timerAt) this.schedule(dueAt);
  }

  /**
   * Takes a run out of the queue (it settled first). At once, not when its time comes: a queued run
   * holds its request and answer, and objects kept that long outlive the young generation, which
   * made the garbage collector the main cost of speculating.
   */
  remove(run: DueRun): void {
    const { prevDue, nextDue } = run;
    if (prevDue === undefined) {
      if (this.head !== run) return; // not queued
      this.head = nextDue;
    } else prevDue.nextDue = nextDue;
    if (nextDue === undefined) this.tail = prevDue;
    else nextDue.prevDue = prevDue;
    run.nextDue = undefined;
    run.prevDue = undefined;
  }

  private schedule(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(this.fire, Math.max(0, at - performance.now()));
    this.timer.unref();
  }

  /**
   * The timer fired. Node runs timers before it reads the sockets: when the event loop was held
   * past a run's delay (a GC pause, the process descheduled, a long synchronous task), the answers
   * that came meanwhile are still unread, and starting the due runs here sent every request then
   * in flight a second time (seen on healthy nodes: bursts of 16 extra executions, all in flight at
   * once). So the due runs start from setImmediate, after the loop's poll phase has read those
   * answers; a run answered there has left the queue.
   */
  private readonly fire = (): void => {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (this.startPending) return;
    this.startPending = true;
    // not unref'd: an unref'd immediate does not stop the poll phase from blocking, so the due
    // runs would wait for the next socket read (the slow node's own answer)
    setImmediate(this.startDue);
  };

  private readonly startDue = (): void => {
    this.startPending = false;
    // a timer may fire up to a millisecond before `at` as performance.now() counts
    const now = performance.now() + 1;
    for (let run = this.head; run !== undefined && run.dueAt <= now; run = this.head) {
      this.head = run.nextDue;
      if (this.head === undefined) this.tail = undefined;
      else this.head.prevDue = undefined;
      run.nextDue = undefined;
      run.prevDue = undefined;
      run.due();
    }
    // a run added since the timer fired may have armed a timer for itself, later than the head
    if (this.head !== undefined && this.head.dueAt < this.timerAt) this.schedule(this.head.dueAt);
  };
}

const clock = new SpeculationClock();

/**
 * The executions of one speculated request, until the first answer or a final error. It is also
 * the first execution's cancel signal (an `ExecutionSignal`), the sink its executions report to,
 * and what waits on its caller's signal (an `AbortWaiter`, streaming/abort-fanout.ts): one object
 * per request, no closure. A non-idempotent request runs its one execution with the caller's own
 * send options.
 */
class SpeculativeRun<P extends SpeculatedPlan> extends ExecutionSignal implements DueRun, ExecutionSink, AbortWaiter {
  /** @internal The clock's queue: when the next execution is due and the run queued after this one. */
  dueAt = 0;
  /** @internal */
  nextDue: DueRun | undefined = undefined;
  /** @internal */
  prevDue: DueRun | undefined = undefined;
  /** @internal The list of what waits on the caller's signal. */
  nextWaiting: AbortWaiter | undefined = undefined;
  /** @internal */
  prevWaiting: AbortWaiter | undefined = undefined;
  /** The caller's signal's list, while this run is on it. */
  private callerWatch: AbortWaitList | undefined = undefined;
  /** The extra executions' cancel signals (made when one starts); the first execution's is the run. */
  private extraSignals: ExecutionSignal[] | undefined = undefined;
  private running = 0;
  /** The next extra execution to start when due; 0: none armed. */
  private armedN = 0;
  private settled = false;

  constructor(
    private readonly plan: P,
    private readonly policy: SpeculativeSchedule,
    private readonly cursor: QueryPlanCursor,
    private readonly execution: PlanExecution<P>,
    private readonly observer: SpeculationObserver<P> | undefined,
    private readonly startedAt: number,
    private readonly resolve: (executed: ExecutionAnswer) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    super();
  }

  start(): void {
    const caller = this.plan.sendOptions.signal;
    if (this.plan.idempotent && caller !== undefined && !caller.aborted) this.callerWatch = waitForAbort(caller, this);
    this.launch(0);
  }

  /** The caller's signal aborted: every execution is cancelled with its reason. */
  signalAborted(reason: unknown): void {
    this.callerWatch = undefined;
    this.abortAll(reason);
  }

  /** The clock: the armed execution is due. */
  due(): void {
    const n = this.armedN;
    this.armedN = 0;
    if (this.settled) return;
    const host = this.cursor.peek();
    if (host === undefined) {
      if (this.running === 0) this.finish(undefined, new NoHostAvailableError(this.cursor.errors));
      return;
    }
    this.observer?.speculating?.(host);
    this.launch(n);
  }

  /** Starts execution `n` (0: the first) and, for an idempotent request, arms the next one. */
  private launch(n: number): void {
    this.running++;
    const plan = this.plan;
    let sendOptions = plan.sendOptions;
    if (plan.idempotent) {
      const signal = n === 0 ? this : this.extraSignal();
      const o = plan.sendOptions;
      // the caller's signal already aborted: this execution's send rejects at once, as without speculation
      if (o.signal?.aborted === true) signal.abort(o.signal.reason);
      sendOptions = {
        timeoutMs: o.timeoutMs,
        tracing: o.tracing,
        customPayload: o.customPayload,
        // the connection reads only what ExecutionSignal has (see there)
        signal: signal as unknown as AbortSignal,
      };
    }
    // the first execution starts with the request (one clock read less per request)
    const startedAt = n === 0 ? this.startedAt : performance.now();
    // may report at once (no host left): then the run is settled before anything is armed
    this.execution(plan, this.cursor, sendOptions, startedAt, this);
    if (!plan.idempotent || this.settled || n >= this.policy.maxExtra) return;
    const delayMs = delayBefore(this.policy, n + 1, startedAt);
    if (delayMs === undefined) return;
    this.armedN = n + 1;
    clock.add(this, startedAt + delayMs);
  }

  /** A cancel signal for a new extra execution. */
  private extraSignal(): ExecutionSignal {
    const signal = new ExecutionSignal();
    (this.extraSignals ??= []).push(signal);
    return signal;
  }

  executionEnded(executed: ExecutionAnswer | undefined, startedAt: number): void {
    if (this.settled) return;
    if (executed !== undefined) {
      const now = performance.now();
      recordLatency(this.policy, now - startedAt, now);
      // One execution only (the common case): its answer is final, and no other execution will
      // touch the cursor's hosts again. Else the host that answered comes last, as without
      // speculation, in a copy the executions still running cannot change.
      if (this.extraSignals === undefined) {
        this.finish(executed, undefined, now);
        return;
      }
      const tried = this.cursor.triedHosts.filter((h) => h !== executed.host);
      tried.push(executed.host);
      this.finish({ response: executed.response, host: executed.host, tried }, undefined, now);
      return;
    }
    // this execution ran out of hosts: the others, or one still armed, may yet answer
    if (--this.running === 0 && (this.armedN === 0 || this.cursor.peek() === undefined))
      this.finish(undefined, new NoHostAvailableError(this.cursor.errors));
  }

  executionFailed(error: unknown): void {
    this.finish(undefined, error);
  }

  private finish(executed: ExecutionAnswer | undefined, error: unknown, endedAt = performance.now()): void {
    if (this.settled) return;
    this.settled = true;
    if (this.armedN !== 0) {
      this.armedN = 0;
      clock.remove(this);
    }
    if (this.callerWatch !== undefined) {
      this.callerWatch.remove(this);
      this.callerWatch = undefined;
    }
    this.abortAll(SUPERSEDED);
    this.observer?.requestEnded?.(this.plan, executed, error, this.startedAt, endedAt);
    if (executed !== undefined) this.resolve(executed);
    else this.reject(error);
  }

  /** Cancels every execution still waiting (a late answer is dropped when it arrives). */
  private abortAll(reason: unknown): void {
    this.abort(reason);
    if (this.extraSignals !== undefined) for (const s of this.extraSignals) s.abort(reason);
  }
}

/**
 * The maps of a request's plan cursor and speculative run kept through full collections
 * (protocol/map-anchors.ts); the run's times are fractions, as `performance.now()` gives them.
 */
function anchorSpeculationMaps(): void {
  const cursor = anchorMap(new QueryPlanCursor([]));
  const plan: SpeculatedPlan = { idempotent: true, sendOptions: {} };
  const noop = (): void => undefined;
  const run = anchorMap(
    new SpeculativeRun(plan, { delayMs: 1, maxExtra: 1 }, cursor, noop, undefined, 0.5, noop, noop),
  );
  run.dueAt = 0.5;
}
anchorSpeculationMaps();
