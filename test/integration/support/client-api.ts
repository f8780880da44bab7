/**
 * The part of cqlwire's public API (DESIGN.md "The public API") the integration scenarios use,
 * described here and loaded with a dynamic import. Why: `Cluster`, `Session` and
 * `executeStream` are being written while this suite is; a static `import { Cluster }` would
 * not compile until they land. Once `src/index.ts` exports them, the scenarios run unchanged
 * (and TypeScript checks them against these shapes through `loadClientApi`). Names and shapes
 * are DESIGN.md's; where DESIGN.md is silent (execute's `fetchSize`/`pagingState` options) the
 * streaming options' names are assumed.
 */
export interface ClusterOptions {
  contactPoints: string[];
  port?: number;
  localDataCenter?: string;
  compression?: 'lz4' | 'none';
  protocolVersion?: 4 | 5;
  requestTimeoutMs?: number;
}

export interface HostInfo {
  address: string;
  port: number;
  dataCenter: string | undefined;
  rack: string | undefined;
  isUp: boolean;
}

export interface RowLike {
  get(nameOrIndex: string | number): unknown;
  keys(): string[];
  values(): unknown[];
  [column: string]: unknown;
}

export interface ColumnInfo {
  name: string;
}

export interface ResultSetLike extends Iterable<RowLike> {
  rows: RowLike[];
  first(): RowLike | null | undefined;
  all(): RowLike[];
  pagingState: Buffer | undefined | null;
  columns: readonly ColumnInfo[];
}

export interface ExecuteOptions {
  prepare?: boolean;
  fetchSize?: number;
  pagingState?: Buffer;
}

export interface StreamOptions {
  fetchSize?: number;
  maxPages?: number;
  pageCallback?: (pageNumber: number, totalRows: number) => void | Promise<void>;
  timeoutMs?: number;
  signal?: AbortSignal;
  pagingState?: Buffer;
  prefetchPages?: number;
}

export interface ResultStreamLike extends AsyncIterable<RowLike> {
  pages(): AsyncIterable<ArrayLike<RowLike> & Iterable<RowLike>>;
  readonly pageNumber: number;
  readonly totalRowsFetched: number;
  readonly pagingState: Buffer | undefined | null;
  cancel(): void;
}

export interface PreparedLike {
  readonly query?: string;
}

export interface SessionLike {
  execute(query: string | PreparedLike, params?: unknown[], options?: ExecuteOptions): Promise<ResultSetLike>;
  prepare(query: string): Promise<PreparedLike>;
  executeStream(query: string | PreparedLike, params?: unknown[], options?: StreamOptions): Promise<ResultStreamLike>;
}

export interface ClusterLike {
  connect(keyspace?: string): Promise<SessionLike>;
  shutdown(): Promise<void>;
  readonly protocolVersion: number | undefined;
  readonly hosts: Iterable<HostInfo> | ArrayLike<HostInfo>;
}

export interface ClientApi {
  Cluster: new (options: ClusterOptions) => ClusterLike;
  StreamError: abstract new (...args: never[]) => Error & { totalRowsFetched: number; pageNumber: number; pagingState: Buffer | undefined | null };
}

/** The API, or why it cannot be used yet (`Cluster` / `StreamError` not exported by src/index.ts). */
export async function loadClientApi(): Promise<{ api: ClientApi; missing?: undefined } | { api?: undefined; missing: string }> {
  const module = (await import('../../../src/index.js')) as Record<string, unknown>;
  const missing = ['Cluster', 'StreamError'].filter((name) => typeof module[name] !== 'function');
  if (missing.length > 0) return { missing: `src/index.ts does not export ${missing.join(' and ')} yet` };
  return { api: module as unknown as ClientApi };
}
