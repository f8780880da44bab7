/** cqlwire session layer: the API users hold. */
export { Cluster } from './cluster.js';
export type { ClusterOptions } from './cluster-options.js';
export { Session } from './session.js';
export type { Statement, FetchedPage, PrepareOptions } from './session.js';
export { PreparedStatement } from './prepared-statement.js';
export { ResultSet } from './result-set.js';
export type { ExecutionInfo, ResultKind } from './result-set.js';
export type { ExecuteOptions, PageRequestOptions } from './query-options.js';
export type { BatchOptions, BatchEntry, BatchKind } from './batch-options.js';
export type { Params, TypeHint } from './bound-params.js';
export { inferType } from './value-inference.js';
export { countBindMarkers } from './bind-markers.js';
