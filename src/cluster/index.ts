/** cqlwire cluster layer: contact points, the control connection and topology, load balancing, retries. */

export type { ClosedResource } from './closed-error.js';
export { ClosedError } from './closed-error.js';
export type { ClusterEventMap } from './cluster-events.js';
export type { LatencySummary, MetricsSnapshot, RequestMetrics } from './cluster-metrics.js';
export { ClusterMetrics } from './cluster-metrics.js';
export type { ClusterTopologyOptions, SharedConnectionOptions, TopologyListener } from './cluster-topology.js';
export { ClusterTopology } from './cluster-topology.js';
export type { AddressLookup, Endpoint } from './contact-point.js';
export { parseContactPoint, resolveContactPoints } from './contact-point.js';
export type { HostFacts } from './host.js';
export { Host } from './host.js';
export { HostReconnector } from './host-reconnector.js';
export type { ClusterView, DcAwareOptions, LoadBalancingPolicy, RoutingInfo } from './load-balancing.js';
export { DcAwareRoundRobinPolicy, TokenAwarePolicy } from './load-balancing.js';
export type {
  ClusteringOrder,
  ClusterMetadataOptions,
  ColumnKind,
  ColumnMetadata,
  DroppedColumnMetadata,
  IndexMetadata,
  KeyspaceMetadata,
  KeyspaceReplication,
  MetadataSource,
  SchemaRow,
  SchemaRows,
  SizeEstimate,
  TableMetadata,
  TableOptions,
  TokenRange,
} from './metadata/index.js';
export { buildKeyspaces, ClusterMetadata, parseSizeEstimates } from './metadata/index.js';
export { NoHostAvailableError } from './no-host-available-error.js';
export type { ReplicationStrategy } from './replication.js';
export { parseReplication } from './replication.js';
export type { RetryContext, RetryDecision, RetryPolicy } from './retry-policy.js';
export { DefaultRetryPolicy, FallthroughRetryPolicy, RETHROW, RETRY_NEXT, RETRY_SAME } from './retry-policy.js';
export { queryRows } from './system-table-reader.js';
export { TokenRing } from './token-ring.js';
