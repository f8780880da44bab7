/**
 * cqlwire: a Cassandra client for Node.js that speaks the CQL native protocol itself.
 * `new Cluster({ contactPoints })`, `await cluster.connect(keyspace?)`, `session.execute(...)`.
 */
export { Cluster, Session, PreparedStatement, ResultSet } from './session/index.js';
export type {
  ClusterOptions, Statement, FetchedPage, PrepareOptions, ExecutionInfo, ResultKind, ExecuteOptions,
  PageRequestOptions, BatchOptions, BatchEntry, BatchKind, Params, TypeHint,
} from './session/index.js';
export { ResultStream, Page, StreamError, PageTimeoutError, createStreamingStatement } from './streaming/index.js';
export type { StreamConfig, PageCallback, StreamingStatement, SessionStreamOptions, ReadableOptions } from './streaming/index.js';
export { Row } from './protocol/rows/index.js';
export type { RowsPage } from './protocol/rows/index.js';
export type { ColumnSpec, CustomPayload } from './protocol/messages/index.js';
export type { DataType } from './protocol/types/index.js';
export { LocalDate, LocalTime, Duration, BigDecimal, InetAddress, Uuid, TimeUuid } from './protocol/types/index.js';
export { UNSET } from './protocol/primitives/index.js';
export {
  Host, NoHostAvailableError, DcAwareRoundRobinPolicy, TokenAwarePolicy, DefaultRetryPolicy, FallthroughRetryPolicy,
} from './cluster/index.js';
export type { LoadBalancingPolicy, RoutingInfo, ClusterView, RetryPolicy, RetryDecision, RetryContext } from './cluster/index.js';
export {
  AuthenticationError, RequestTimeoutError, ConnectionError, ConnectionClosedError, RequestCancelledError,
  PlainTextAuthProvider,
} from './connection/index.js';
export type { Authenticator, AuthProvider, BackoffOptions } from './connection/index.js';
export {
  CqlwireError, ProtocolError, ArgumentError, ServerError, ServerInternalError, ProtocolViolationError,
  OverloadedError, IsBootstrappingError, TruncateError, CdcWriteFailureError, CqlSyntaxError,
  UnauthorizedError, InvalidRequestError, ConfigurationError, UnavailableError, WriteTimeoutError,
  ReadTimeoutError, ReadFailureError, WriteFailureError, FunctionFailureError, CasWriteUnknownError,
  AlreadyExistsError, UnpreparedError,
} from './protocol/errors/index.js';
export { Consistency } from './protocol/consistency.js';
