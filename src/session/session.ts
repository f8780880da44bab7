import { inspect } from 'node:util';
import type { ClusterMetadata, ClusterTopology, Host, LoadBalancingPolicy, RoutingInfo } from '../cluster/index.js';
import type { Response } from '../connection/index.js';
import { Opcode } from '../protocol/envelope/index.js';
import { ArgumentError, ProtocolError } from '../protocol/errors/index.js';
import type {
  BatchRequest,
  BatchStatement,
  BoundValue,
  ExecuteRequest,
  QueryParameters,
  QueryRequest,
  RequestMessage,
  ResultMessage,
} from '../protocol/messages/index.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import type { Row, RowDecodeOptions, RowsPage } from '../protocol/rows/index.js';
import { Uuid } from '../protocol/types/index.js';
import { type ScanOptions, startTableScan, type TableScan } from '../scan/index.js';
import {
  executeStream,
  isStreamingStatement,
  type PageFetchingSession,
  type ResultStream,
  type StreamingStatement,
} from '../streaming/index.js';
import type { BatchEntry, BatchOptions } from './batch-options.js';
import { resolveBatchOptions } from './batch-options.js';
import { type Bound, bindPrepared, bindUnprepared, type Params } from './bound-params.js';
import type { OptionsResolver } from './options-resolver.js';
import { PreparedStatement } from './prepared-statement.js';
import type { ExecuteOptions, ExecuteStreamOptions, PageRequestOptions, PrepareOptions } from './query-options.js';
import { withCallerStack } from './request-error-context.js';
import { type Executed, RequestExecutor } from './request-executor.js';
import type { StreamPageRef } from './request-observer.js';
import {
  type RequestOptions,
  type ResolvedPrepareOptions,
  resolvePrepareOptions,
  resolveRequestOptions,
} from './request-options.js';
import { type ExecutionInfo, ResultSet } from './result-set.js';
import { RowsDecoding } from './rows-decoding.js';
import type { SessionPools } from './session-pools.js';
import { type GetTraceOptions, type QueryTrace, readTrace } from './trace-reader.js';

/** A statement: CQL text or a prepared statement. */
export type Statement = string | PreparedStatement;

/** One page of a statement, as `fetchPage` returns it. */
export interface FetchedPage {
  /** The rows (zero-copy); empty for statements that return no rows. */
  page: RowsPage;
  /** Where the next page starts; undefined after the last page. */
  pagingState: Buffer | undefined;
  /** The node that answered (pass it back as `hostHint` to keep a stream on one coordinator). */
  coordinator: Host;
  info: ExecutionInfo;
}

export type { PrepareOptions } from './query-options.js';

/** @internal What a session needs from its cluster. */
export interface SessionContext {
  topology: ClusterTopology;
  pools: SessionPools;
  loadBalancing: LoadBalancingPolicy;
  /** The cluster's request options and profiles: every call resolves its options through it. */
  options: OptionsResolver;
  decodeOptions: RowDecodeOptions;
  onShutdown: (session: Session) => void;
  /** The cluster's schema and token ring (what `scanTable` reads the table and its ranges from). */
  metadata?: ClusterMetadata;
}

const PREPARED_CACHE_LIMIT = 1000;
const NO_WARNINGS: readonly string[] = Object.freeze([]);
const NO_VALUES: readonly BoundValue[] = Object.freeze([]);
/** What a v5 EXECUTE carries for a statement whose PREPARE result had no metadata id. */
const EMPTY_METADATA_ID = Buffer.alloc(0);

/** The QUERY/EXECUTE parameters of a request, always in the same shape (see `run`). */
function queryParameters(
  o: RequestOptions,
  values: readonly BoundValue[] | undefined,
  names: readonly string[] | undefined,
  skipMetadata: true | undefined,
  keyspace: string | undefined,
): QueryParameters {
  return {
    consistency: o.consistency,
    values,
    names,
    skipMetadata,
    pageSize: o.pageSize,
    pagingState: o.pagingState,
    serialConsistency: o.serialConsistency,
    timestamp: o.timestamp,
    keyspace,
    nowInSeconds: o.nowInSeconds,
  };
}

let sessionFactory: (ctx: SessionContext) => Session;

/** @internal Makes a session for `cluster.connect()`: the Session constructor is private. */
export function createSession(ctx: SessionContext): Session {
  return sessionFactory(ctx);
}

/**
 * What `cluster.connect()` returns: runs statements over the cluster's hosts with the session's
 * keyspace. Cheap to keep for the application's life; `cluster.shutdown()` closes it.
 */
export class Session {
  private readonly ctx: SessionContext;
  private readonly executor: RequestExecutor;
  /** Executors of profiles with a load-balancing policy of their own, made on first use. */
  private readonly profileExecutors = new Map<LoadBalancingPolicy, RequestExecutor>();
  private readonly decoding: RowsDecoding;
  private readonly preparedCache = new Map<string, Promise<PreparedStatement>>();
  private closed = false;

  static {
    sessionFactory = (ctx) => new Session(ctx);
  }

  /** Made by `cluster.connect()` (through `createSession`). */
  private constructor(ctx: SessionContext) {
    this.ctx = ctx;
    this.executor = new RequestExecutor(ctx.topology, ctx.pools, ctx.loadBalancing);
    this.decoding = new RowsDecoding(ctx.decodeOptions);
  }

  /** The keyspace statements run in (set by `connect(keyspace)` or a `USE` statement). */
  get keyspace(): string | undefined {
    return this.ctx.pools.currentKeyspace;
  }

  private get version(): ProtocolVersion {
    const v = this.ctx.topology.protocolVersion;
    if (v === undefined) throw new ArgumentError('The cluster is not connected');
    return v;
  }

  /**
   * Runs one statement and returns its first page. Parameters are positional (an array) or named
   * (an object). CQL text is sent as a QUERY with its values bound (types inferred from the JS
   * values, or from `hints`), unless `prepare: true`: then it is prepared once (cached) and
   * executed with typed values and token-aware routing. Bad arguments reject with
   * `ArgumentError` before anything is sent. `R` types the rows, as `executeStream<R>()`'s.
   */
  async execute<R = Row>(
    statement: Statement,
    params?: Params | null,
    options?: ExecuteOptions,
  ): Promise<ResultSet<R>> {
    if (this.closed) throw this.ctx.pools.closedError('execute()');
    const o = resolveRequestOptions('execute', options, this.ctx.options, this.version);
    const { executed, stmt, query } = await this.run(statement, params, o);
    const rs = await this.toResultSet(executed, stmt, query, (pagingState) =>
      this.execute(stmt ?? statement, params, { ...options, pagingState }),
    );
    return rs as unknown as ResultSet<R>;
  }

  /**
   * Fetches ONE page of a statement: the seam `executeStream` builds on. It does what `execute`
   * does (routing, retries, prepared cache, re-prepare on UNPREPARED, v5 result metadata ids)
   * but returns the raw page, its paging state and the coordinator, without wrapping them in a
   * ResultSet. `hostHint` puts a host first in the query plan (e.g. the previous page's
   * coordinator); `pageSize` defaults to the cluster's `fetchSize`.
   */
  async fetchPage(
    statement: Statement,
    params: Params | null | undefined,
    options?: PageRequestOptions,
  ): Promise<FetchedPage> {
    if (this.closed) throw this.ctx.pools.closedError('fetchPage()');
    const o = resolveRequestOptions('fetchPage', options, this.ctx.options, this.version);
    const { executed, stmt, query } = await this.run(statement, params, o, options?.page);
    const info = this.infoOf(executed);
    const message = executed.response.message as ResultMessage;
    if (message.opcode === Opcode.RESULT && message.kind === 'rows') {
      const { page } = this.decoding.page(message, stmt, query);
      return { page, pagingState: page.pagingState, coordinator: executed.host, info };
    }
    return { page: this.decoding.emptyPage(), pagingState: undefined, coordinator: executed.host, info };
  }

  /**
   * Streams every row of a statement page by page in bounded memory (docs/architecture.md
   * "Streaming semantics"): `for await (const row of stream)`. Built on `fetchPage` by
   * `src/streaming`. Rejects only for bad arguments; later failures reach the consumer as
   * `StreamError`. Options resolve like every call's: the call's, then the streaming
   * statement's, then the `profile`'s, then the cluster's (`fetchSize`, `consistency`).
   */
  executeStream<R = Row>(
    statement: Statement | StreamingStatement<Statement>,
    params?: Params | null,
    options?: ExecuteStreamOptions,
  ): Promise<ResultStream<R>> {
    if (this.closed) return Promise.reject(this.ctx.pools.closedError('executeStream()'));
    let query: Statement = statement as Statement;
    let given = options;
    if (isStreamingStatement(statement)) {
      query = statement.query;
      given = { ...statement.options, ...(options ?? {}) };
    }
    let resolved: ReturnType<OptionsResolver['stream']>;
    try {
      resolved = this.ctx.options.stream(given);
    } catch (error) {
      return Promise.reject(error);
    }
    const profile = resolved.profile.name;
    const pages: PageFetchingSession<Statement, Host> =
      profile === undefined
        ? this
        : { fetchPage: (s, p, o) => this.fetchPage(s, p as Params | null | undefined, { ...o, profile }) };
    return executeStream<R, Statement, Host>(pages, query, params, resolved.options);
  }

  /**
   * Reads every row of a table (or materialized view) as token ranges in parallel, each from a
   * replica of its range: `for await (const row of scan)`, `scan.pages()`, `scan.progress`,
   * `scan.checkpoint()` (README "Whole-table scans"). `table` is `'keyspace.table'`, or a table of
   * the session's keyspace. Rejects with `ArgumentError` for bad arguments (unknown table or
   * column, a bad option, a checkpoint of another scan) before any row is requested.
   */
  scanTable<R = Row>(table: string, options?: ScanOptions): Promise<TableScan<R>> {
    const metadata = this.ctx.metadata;
    if (metadata === undefined)
      return Promise.reject(new ArgumentError('scanTable needs a session made by cluster.connect()'));
    const loadBalancing = this.ctx.loadBalancing;
    let resolved: ScanOptions;
    try {
      resolved = this.ctx.options.scan(options);
    } catch (error) {
      return Promise.reject(error);
    }
    return startTableScan<R, Host>(
      {
        session: this,
        metadata,
        hosts: { isUp: (h) => h.isUp, isLocal: (h) => loadBalancing.isLocal?.(h) ?? true },
        allHosts: this.ctx.topology.hosts,
        keyspace: this.keyspace,
      },
      table,
      resolved,
    );
  }

  /**
   * Prepares a statement (once per text and keyspace: later calls share the cached result). The
   * statement executes with typed, checked parameters and is routed to a replica of its partition.
   */
  prepare(query: string, options?: PrepareOptions): Promise<PreparedStatement> {
    let o: ResolvedPrepareOptions;
    try {
      if (this.closed) throw this.ctx.pools.closedError('prepare()');
      if (typeof query !== 'string' || query.trim().length === 0)
        throw new ArgumentError(
          `The query must be a non-empty string, got ${typeof query === 'string' ? '""' : typeof query}`,
        );
      o = resolvePrepareOptions(options, this.ctx.options);
      if (o.keyspace !== undefined && this.version < 5)
        throw new ArgumentError(
          `Preparing in keyspace '${o.keyspace}' needs protocol v5; this cluster speaks v${this.version}`,
        );
    } catch (error) {
      return Promise.reject(error);
    }
    return this.awaitShared(this.sharedPrepare(query, o));
  }

  /** The PREPARE of `query` that every caller shares: cached per text and keyspace. */
  private sharedPrepare(query: string, o: ResolvedPrepareOptions): Promise<PreparedStatement> {
    const keyspace = o.keyspace ?? this.keyspace;
    const key = `${keyspace ?? ''}\u0000${query}`;
    const cached = this.preparedCache.get(key);
    if (cached !== undefined) {
      if (o.idempotent)
        void cached.then(
          (s) => {
            s.idempotent = true;
          },
          () => undefined,
        );
      return cached;
    }
    const promise = this.prepareOnce(query, keyspace, o);
    if (this.preparedCache.size >= PREPARED_CACHE_LIMIT)
      this.preparedCache.delete(this.preparedCache.keys().next().value!);
    this.preparedCache.set(key, promise);
    promise.catch(() => {
      if (this.preparedCache.get(key) === promise) this.preparedCache.delete(key);
    });
    return promise;
  }

  /** Awaits a PREPARE other callers may share, so that its error's stack shows this caller. */
  private async awaitShared(prepared: Promise<PreparedStatement>): Promise<PreparedStatement> {
    try {
      return await prepared;
    } catch (error) {
      throw withCallerStack(error);
    }
  }

  /**
   * Runs statements as one BATCH (logged by default; `type: 'unlogged'` or `'counter'`). Each
   * entry is CQL text, or `{ query, params }` with text or a prepared statement. Text is bound
   * like `execute` (inferred types), or prepared first with `prepare: true`.
   */
  async batch(entries: readonly BatchEntry[], options?: BatchOptions): Promise<ResultSet> {
    if (this.closed) throw this.ctx.pools.closedError('batch()');
    const version = this.version;
    const o = resolveBatchOptions(options, this.ctx.options, version);
    // a JavaScript caller may pass anything; checked through unknown so `entries` keeps its type
    const given: unknown = entries;
    if (!Array.isArray(given) || entries.length === 0)
      throw new ArgumentError('batch() needs a non-empty array of statements');
    const prepared: PreparedStatement[] = [];
    const statements: BatchStatement[] = [];
    let routing: RoutingInfo | undefined;
    let idempotent = true;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const { query, params } =
        typeof entry === 'string' || entry instanceof PreparedStatement ? { query: entry, params: undefined } : entry;
      if (typeof query !== 'string' && !(query instanceof PreparedStatement))
        throw new ArgumentError(`Batch entry ${i}: query must be CQL text or a prepared statement`);
      const stmt = query instanceof PreparedStatement ? query : o.prepare ? await this.prepare(query) : undefined;
      if (stmt !== undefined) {
        const bound = bindPrepared(stmt, params, version);
        prepared.push(stmt);
        statements.push({ id: stmt.id, values: bound.values ?? [] });
        idempotent &&= stmt.idempotent;
        if (routing === undefined && bound.routingKey !== undefined)
          routing = { keyspace: stmt.routingKeyspace, routingKey: bound.routingKey };
      } else {
        if (params !== undefined && params !== null && !Array.isArray(params)) {
          throw new ArgumentError(
            `Batch entry ${i}: named parameters need a prepared statement (BATCH carries no value names); pass prepare: true`,
          );
        }
        const bound = bindUnprepared(query as string, params, undefined, version);
        statements.push({ query: query as string, values: bound.values ?? [] });
        idempotent = false;
      }
    }
    const request: BatchRequest = {
      opcode: Opcode.BATCH,
      type: o.type,
      statements,
      consistency: o.consistency,
      ...(o.serialConsistency !== undefined ? { serialConsistency: o.serialConsistency } : {}),
      ...(o.timestamp !== undefined ? { timestamp: o.timestamp } : {}),
      ...(o.keyspace !== undefined ? { keyspace: o.keyspace } : {}),
      ...(o.nowInSeconds !== undefined ? { nowInSeconds: o.nowInSeconds } : {}),
    };
    const executed = await this.executorFor(o.loadBalancing).run({
      request,
      sendOptions: o.send,
      routing,
      idempotent: o.idempotent ?? idempotent,
      retryPolicy: o.retryPolicy,
      prepared,
      speculation: o.speculativeExecution,
    });
    return this.toResultSet(executed, undefined, undefined, undefined);
  }

  /**
   * Reads the trace of a request run with `{ tracing: true }` (its `rs.info.tracingId`) from
   * system_traces: the coordinator, duration, request, start and events. Reads the session row
   * again while the server is still writing it (`attempts`, default 5, `delayMs` apart, default
   * 400), then rejects with `TraceUnavailableError`. README "Query tracing".
   */
  getTrace(tracingId: Uuid | string, options?: GetTraceOptions): Promise<QueryTrace> {
    return readTrace((query, params, o) => this.execute(query, params, o), tracingId, options);
  }

  /**
   * Closes this session's connections (the cluster stays up). Calling it again is harmless.
   * Afterwards every call (`execute`, `prepare`, `batch`, `executeStream`, ...) rejects with
   * `ClosedError`, and nothing opens a connection again.
   */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ctx.onShutdown(this);
    await this.ctx.pools.shutdown();
  }

  [inspect.custom](): string {
    return `Session { keyspace: ${this.keyspace ?? 'none'}, prepared: ${this.preparedCache.size}${this.closed ? ', closed' : ''} }`;
  }

  /** The executor that walks `policy`'s query plans (the cluster's, or a profile's own). */
  private executorFor(policy: LoadBalancingPolicy): RequestExecutor {
    if (policy === this.ctx.loadBalancing) return this.executor;
    let executor = this.profileExecutors.get(policy);
    if (executor === undefined) {
      executor = new RequestExecutor(this.ctx.topology, this.ctx.pools, policy);
      this.profileExecutors.set(policy, executor);
    }
    return executor;
  }

  private async prepareOnce(
    query: string,
    keyspace: string | undefined,
    o: ResolvedPrepareOptions,
  ): Promise<PreparedStatement> {
    const request: RequestMessage = {
      opcode: Opcode.PREPARE,
      query,
      ...(o.keyspace !== undefined ? { keyspace: o.keyspace } : {}),
    };
    const timeoutMs = o.timeoutMs;
    const executed = await this.executorFor(o.loadBalancing).run({
      request,
      sendOptions: { timeoutMs },
      routing: undefined,
      idempotent: true,
      retryPolicy: o.retryPolicy,
    });
    const result = executed.response.message as ResultMessage;
    if (result.opcode !== Opcode.RESULT || result.kind !== 'prepared') {
      throw new ProtocolError(
        `${executed.host.endpoint} answered PREPARE with ${result.opcode === Opcode.RESULT ? `a ${result.kind} result` : `opcode ${String(result.opcode)}`}`,
      );
    }
    // Like other drivers, prepare on every other host now, so the first EXECUTE a replica gets
    // is not answered UNPREPARED (failures only cost a re-prepare later).
    const others = o.loadBalancing.newQueryPlan(undefined).filter((h) => h !== executed.host);
    await Promise.allSettled(others.map((h) => this.ctx.pools.get(h).send(request, { timeoutMs })));
    return new PreparedStatement(query, keyspace, result, o.idempotent, this.ctx.decodeOptions);
  }

  /** Binds, builds the request and runs it over the query plan. */
  private async run(
    statement: Statement,
    params: Params | null | undefined,
    o: RequestOptions,
    page?: StreamPageRef,
  ): Promise<{ executed: Executed; stmt: PreparedStatement | undefined; query: string | undefined }> {
    if (this.closed) throw this.ctx.pools.closedError('A statement');
    const version = this.version;
    let stmt: PreparedStatement | undefined;
    if (statement instanceof PreparedStatement) stmt = statement;
    else if (typeof statement !== 'string' || statement.trim().length === 0)
      throw new ArgumentError(
        `The statement must be CQL text or a prepared statement, got ${typeof statement === 'string' ? '""' : String(statement)}`,
      );
    else if (o.prepare) {
      try {
        // the text was checked above and the keyspace option by resolveRequestOptions
        const p = this.ctx.options.profile(o.profile);
        stmt = await this.sharedPrepare(statement, {
          keyspace: o.keyspace,
          idempotent: false,
          timeoutMs: p.requestTimeoutMs,
          retryPolicy: p.retryPolicy,
          loadBalancing: p.loadBalancing,
          speculativeExecution: p.speculativeExecution,
        });
      } catch (error) {
        throw withCallerStack(error);
      }
    }
    let bound: Bound;
    let request: QueryRequest | ExecuteRequest;
    // Every object below has one fixed shape, absent fields set to undefined (the codec tests
    // `!== undefined` throughout): conditional spreads made a fresh dictionary-like shape per call
    // and left the encoder's property reads megamorphic, a measurable share of a small execute.
    let routing: RoutingInfo | undefined;
    if (stmt !== undefined) {
      bound = bindPrepared(stmt, params, version);
      // v5 only: with the result metadata id the server says METADATA_CHANGED when our columns are stale
      const skipMetadata = version >= 5 && stmt.shape !== undefined && stmt.resultMetadataId !== undefined;
      request = {
        opcode: Opcode.EXECUTE,
        id: stmt.id,
        resultMetadataId: version >= 5 ? (stmt.resultMetadataId ?? EMPTY_METADATA_ID) : undefined,
        params: queryParameters(o, bound.values ?? NO_VALUES, undefined, skipMetadata ? true : undefined, undefined),
      };
      const routingKey = o.routingKey ?? bound.routingKey;
      if (routingKey !== undefined)
        routing = { keyspace: o.routingKeyspace ?? stmt.routingKeyspace ?? this.keyspace, routingKey };
    } else {
      bound = bindUnprepared(statement as string, params, o.hints, version);
      request = {
        opcode: Opcode.QUERY,
        query: statement as string,
        params: queryParameters(o, bound.values, bound.names, undefined, o.keyspace),
      };
      if (o.routingKey !== undefined)
        routing = { keyspace: o.routingKeyspace ?? o.keyspace ?? this.keyspace, routingKey: o.routingKey };
    }
    const executed = await this.executorFor(o.loadBalancing).run({
      request,
      sendOptions: o.send,
      routing,
      idempotent: o.idempotent ?? stmt?.idempotent ?? false,
      retryPolicy: o.retryPolicy,
      hostHint: o.hostHint,
      prepared: stmt !== undefined ? [stmt] : undefined,
      page,
      speculation: o.speculativeExecution,
    });
    return { executed, stmt, query: stmt === undefined ? (statement as string) : undefined };
  }

  private infoOf(executed: Executed): ExecutionInfo {
    const r: Response = executed.response;
    return {
      coordinator: executed.host,
      triedHosts: executed.tried,
      warnings: r.warnings ?? NO_WARNINGS,
      tracingId: r.tracingId !== undefined ? new Uuid(r.tracingId) : undefined,
      customPayload: r.customPayload,
    };
  }

  private async toResultSet(
    executed: Executed,
    stmt: PreparedStatement | undefined,
    query: string | undefined,
    fetchNext: ((pagingState: Buffer) => Promise<ResultSet>) | undefined,
  ): Promise<ResultSet> {
    const info = this.infoOf(executed);
    const message = executed.response.message as ResultMessage;
    if (message.opcode !== Opcode.RESULT)
      throw new ProtocolError(
        `${executed.host.endpoint} answered a statement with opcode ${String((message as { opcode: number }).opcode)}`,
      );
    switch (message.kind) {
      case 'rows': {
        const { page, columns } = this.decoding.page(message, stmt, query);
        return new ResultSet({ kind: 'rows', info, columns, page, ...(fetchNext !== undefined ? { fetchNext } : {}) });
      }
      case 'setKeyspace':
        await this.ctx.pools.setKeyspace(message.keyspace);
        return new ResultSet({ kind: 'setKeyspace', info, keyspace: message.keyspace });
      case 'schemaChange':
        return new ResultSet({ kind: 'schemaChange', info, schemaChange: message.change });
      default:
        return new ResultSet({ kind: 'void', info });
    }
  }
}
