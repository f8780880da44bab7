/** cqlwire session layer: the API users hold. */

export type { BatchEntry, BatchKind, BatchOptions } from './batch-options.js';
export { countBindMarkers } from './bind-markers.js';
export type { Params, TypeHint } from './bound-params.js';
export { Cluster } from './cluster.js';
export type { ClusterOptions } from './cluster-options.js';
export type { ExecutionProfile, ProfileSpeculativeExecution } from './execution-profile.js';
export { PreparedStatement } from './prepared-statement.js';
export type { ExecuteOptions, ExecuteStreamOptions, PageRequestOptions } from './query-options.js';
export type { ExecutionInfo, ResultKind } from './result-set.js';
export { ResultSet } from './result-set.js';
export type { FetchedPage, PrepareOptions, Statement } from './session.js';
export { Session } from './session.js';
export type {
  ConstantSpeculativeExecutionOptions,
  PercentileSpeculativeExecutionOptions,
  SpeculativeExecutionOptions,
  SpeculativeExecutionPolicy,
} from './speculative-policy.js';
export { ConstantSpeculativeExecutionPolicy, PercentileSpeculativeExecutionPolicy } from './speculative-policy.js';
export type { GetTraceOptions, QueryTrace, QueryTraceEvent } from './trace-reader.js';
export { TraceUnavailableError } from './trace-reader.js';
export { inferType } from './value-inference.js';
