import { type ConnectionMeter, LatencyHistogram } from '../diagnostics/index.js';

/** Latency percentiles in milliseconds (0 before the first request). */
export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** The counters of {@link MetricsSnapshot}, for the whole cluster or for one host. */
export interface RequestMetrics {
  /** Requests made (cluster) or attempts sent to this host (per host). */
  readonly requests: number;
  /**
   * Failures by error class name (`ReadTimeoutError`, `NoHostAvailableError`, ...); cancellations
   * (the caller's signal, a stream page's timeout, a speculative execution that lost) are not counted.
   */
  readonly errors: Readonly<Record<string, number>>;
  /** Retries decided after a failure (the retry policy's, and a stream's page retries). */
  readonly retries: number;
  /** Extra executions started because the first answer was slow. */
  readonly speculativeExecutions: number;
  /** Client-side timeouts (`RequestTimeoutError`, a stream page's `PageTimeoutError`). */
  readonly timeouts: number;
  /** Requests (attempts, per host) waiting for their answer now. */
  readonly inFlight: number;
  /** Connections open now, the control connection included. */
  readonly connections: number;
  /** Bytes read from the sockets. */
  readonly bytesIn: number;
  /** Bytes written to the sockets. */
  readonly bytesOut: number;
  /** Cluster: whole requests, retries included; per host: each attempt's own latency. */
  readonly latency: LatencySummary;
}

/** What `cluster.metrics` returns: a copy taken when read; `hosts` is keyed by `address:port`. */
export interface MetricsSnapshot extends RequestMetrics {
  readonly hosts: Readonly<Record<string, RequestMetrics>>;
}

/** A host, as far as the metrics need one. */
interface Endpointed {
  readonly endpoint: string;
}

/**
 * One set of counters (the cluster's, or one host's). The request path holds a host's counters
 * from an attempt's start to its end ({@link ClusterMetrics.attemptStarted}), so an attempt looks
 * its host up once.
 */
export class MetricsCounters implements ConnectionMeter {
  requests = 0;
  readonly errors = new Map<string, number>();
  retries = 0;
  speculativeExecutions = 0;
  timeouts = 0;
  inFlight = 0;
  connections = 0;
  bytesIn = 0;
  bytesOut = 0;
  readonly latency = new LatencyHistogram();

  failed(error: Error): void {
    if (isClientTimeout(error)) this.timeouts++;
    // a cancellation (the caller's signal, a page timeout, a faster speculative execution) is no failure
    if (error.name === 'RequestCancelledError') return;
    const name = error.name;
    this.errors.set(name, (this.errors.get(name) ?? 0) + 1);
  }

  snapshot(connections: number, bytesIn: number, bytesOut: number): RequestMetrics {
    const h = this.latency;
    return {
      requests: this.requests,
      errors: Object.fromEntries(this.errors),
      retries: this.retries,
      speculativeExecutions: this.speculativeExecutions,
      timeouts: this.timeouts,
      inFlight: this.inFlight,
      connections,
      bytesIn,
      bytesOut,
      latency: { p50: h.percentileMs(50), p95: h.percentileMs(95), p99: h.percentileMs(99), max: h.maxMs },
    };
  }
}

/** A request timeout, or a cancellation caused by a stream page's timeout. */
function isClientTimeout(error: Error): boolean {
  if (error.name === 'RequestTimeoutError' || error.name === 'PageTimeoutError') return true;
  const cause = error.cause;
  return error.name === 'RequestCancelledError' && cause instanceof Error && cause.name === 'PageTimeoutError';
}

/**
 * The cluster's request metrics (`cluster.metrics`), recorded by the request path: always on, a
 * few additions and one histogram record per request and per attempt. Host entries are made on
 * first use and kept for the cluster's life.
 */
export class ClusterMetrics {
  private readonly total = new MetricsCounters();
  private readonly byHost = new Map<string, MetricsCounters>();

  /** The counters of the host at `endpoint`; also the `ConnectionMeter` of its connections. */
  meterFor(endpoint: string): ConnectionMeter {
    return this.host(endpoint);
  }

  /** A request starts (one per execute, batch, prepare or stream page). */
  requestStarted(): void {
    this.total.requests++;
    this.total.inFlight++;
  }

  /** The request answered after `latencyMs`. */
  requestSucceeded(latencyMs: number): void {
    this.total.inFlight--;
    this.total.latency.recordMs(latencyMs);
  }

  /** The request failed for good. */
  requestFailed(error: Error, latencyMs: number): void {
    this.total.inFlight--;
    this.total.failed(error);
    this.total.latency.recordMs(latencyMs);
  }

  /** An attempt is sent to `host`: returns the host's counters, to record the attempt's end on. */
  attemptStarted(host: Endpointed): MetricsCounters {
    const c = this.host(host.endpoint);
    c.requests++;
    c.inFlight++;
    return c;
  }

  /** The attempt counted on `host` (its host's counters) answered after `latencyMs`. */
  attemptSucceeded(host: MetricsCounters, latencyMs: number): void {
    host.inFlight--;
    host.latency.recordMs(latencyMs);
  }

  /** The attempt counted on `host` (its host's counters) failed after `latencyMs`. */
  attemptFailed(host: MetricsCounters, error: Error, latencyMs: number): void {
    host.inFlight--;
    host.failed(error);
    host.latency.recordMs(latencyMs);
  }

  /** A retry was decided after a failure on `host` (undefined: the failing node is not known). */
  recordRetry(host: Endpointed | undefined): void {
    this.total.retries++;
    if (host !== undefined) this.host(host.endpoint).retries++;
  }

  /** A speculative execution was started on `host`. */
  recordSpeculativeExecution(host: Endpointed): void {
    this.total.speculativeExecutions++;
    this.host(host.endpoint).speculativeExecutions++;
  }

  /** The latency histogram of whole requests (read-only use: a percentile-based policy reads it). */
  get latency(): LatencyHistogram {
    return this.total.latency;
  }

  /** A copy of every counter now. */
  snapshot(): MetricsSnapshot {
    const hosts: Record<string, RequestMetrics> = {};
    let connections = 0;
    let bytesIn = 0;
    let bytesOut = 0;
    for (const [endpoint, c] of this.byHost) {
      hosts[endpoint] = c.snapshot(c.connections, c.bytesIn, c.bytesOut);
      connections += c.connections;
      bytesIn += c.bytesIn;
      bytesOut += c.bytesOut;
    }
    return { ...this.total.snapshot(connections, bytesIn, bytesOut), hosts };
  }

  private host(endpoint: string): MetricsCounters {
    let c = this.byHost.get(endpoint);
    if (c === undefined) {
      c = new MetricsCounters();
      this.byHost.set(endpoint, c);
    }
    return c;
  }
}
