/**
 * cqlwire: a Cassandra client for Node.js that speaks the CQL native protocol itself.
 * `new Cluster({ contactPoints })`, `await cluster.connect(keyspace?)`, `session.execute(...)`.
 */

export type {
  ClosedResource,
  ClusterEventMap,
  ClusteringOrder,
  ClusterView,
  ColumnKind,
  ColumnMetadata,
  DroppedColumnMetadata,
  IndexMetadata,
  KeyspaceMetadata,
  KeyspaceReplication,
  LatencySummary,
  LoadBalancingPolicy,
  MetricsSnapshot,
  ReplicationStrategy,
  RequestMetrics,
  RetryContext,
  RetryDecision,
  RetryPolicy,
  RoutingInfo,
  SizeEstimate,
  TableMetadata,
  TableOptions,
  TokenRange,
} from './cluster/index.js';
export {
  ClosedError,
  ClusterMetadata,
  DcAwareRoundRobinPolicy,
  DefaultRetryPolicy,
  FallthroughRetryPolicy,
  Host,
  NoHostAvailableError,
  TokenAwarePolicy,
} from './cluster/index.js';
export type { Authenticator, AuthProvider, BackoffOptions } from './connection/index.js';
export {
  AuthenticationError,
  ConnectionClosedError,
  ConnectionError,
  PlainTextAuthProvider,
  RequestCancelledError,
  RequestTimeoutError,
} from './connection/index.js';
export type {
  ConnectionCloseMessage,
  ConnectionOpenMessage,
  DiagnosticsHost,
  HostMessage,
  RequestCreateMessage,
  RequestDiagnostics,
  RequestErrorMessage,
  RequestKind,
  RequestResponseMessage,
  RequestRetryMessage,
  RequestSentMessage,
  SchemaChangeMessage,
} from './diagnostics/index.js';
export { ChannelName, LatencyHistogram, TracingChannelName } from './diagnostics/index.js';
export { Consistency } from './protocol/consistency.js';
export {
  AlreadyExistsError,
  ArgumentError,
  CasWriteUnknownError,
  CdcWriteFailureError,
  ConfigurationError,
  CqlSyntaxError,
  CqlwireError,
  FunctionFailureError,
  InvalidRequestError,
  IsBootstrappingError,
  OverloadedError,
  ProtocolError,
  ProtocolViolationError,
  ReadFailureError,
  ReadTimeoutError,
  ServerError,
  ServerInternalError,
  TruncateError,
  UnauthorizedError,
  UnavailableError,
  UnpreparedError,
  WriteFailureError,
  WriteTimeoutError,
} from './protocol/errors/index.js';
export type { ColumnSpec, CustomPayload } from './protocol/messages/index.js';
export { UNSET } from './protocol/primitives/index.js';
export type { RowsPage } from './protocol/rows/index.js';
export { Row } from './protocol/rows/index.js';
export type { DataType } from './protocol/types/index.js';
export {
  BigDecimal,
  Duration,
  InetAddress,
  LocalDate,
  LocalTime,
  OutOfRangeDate,
  TimeUuid,
  Uuid,
} from './protocol/types/index.js';
export type { ScanCheckpoint, ScanOptions, ScanProgress, ScanRange, ScanRangePosition } from './scan/index.js';
export { ScanPage, TableScan } from './scan/index.js';
export type {
  BatchEntry,
  BatchKind,
  BatchOptions,
  ClusterOptions,
  ConstantSpeculativeExecutionOptions,
  ExecuteOptions,
  ExecuteStreamOptions,
  ExecutionInfo,
  ExecutionProfile,
  FetchedPage,
  GetTraceOptions,
  PageRequestOptions,
  Params,
  PercentileSpeculativeExecutionOptions,
  PrepareOptions,
  ProfileSpeculativeExecution,
  QueryTrace,
  QueryTraceEvent,
  ResultKind,
  SpeculativeExecutionOptions,
  SpeculativeExecutionPolicy,
  Statement,
  TypeHint,
} from './session/index.js';
export {
  Cluster,
  ConstantSpeculativeExecutionPolicy,
  PercentileSpeculativeExecutionPolicy,
  PreparedStatement,
  ResultSet,
  Session,
  TraceUnavailableError,
} from './session/index.js';
export type {
  IterationOptions,
  PageCallback,
  ReadableOptions,
  SessionStreamOptions,
  StreamConfig,
  StreamingStatement,
} from './streaming/index.js';
export { createStreamingStatement, Page, PageTimeoutError, ResultStream, StreamError } from './streaming/index.js';
export type { StreamCheckpoint } from './streaming/stream-error.js';
