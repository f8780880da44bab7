/** cqlwire cluster layer: contact points, the control connection and topology, load balancing, retries. */
export { Host } from './host.js';
export type { HostFacts } from './host.js';
export { parseContactPoint, resolveContactPoints } from './contact-point.js';
export type { Endpoint, AddressLookup } from './contact-point.js';
export { NoHostAvailableError } from './no-host-available-error.js';
export { parseReplication } from './replication.js';
export type { ReplicationStrategy } from './replication.js';
export { TokenRing } from './token-ring.js';
export { DcAwareRoundRobinPolicy, TokenAwarePolicy } from './load-balancing.js';
export type { LoadBalancingPolicy, RoutingInfo, ClusterView, DcAwareOptions } from './load-balancing.js';
export { DefaultRetryPolicy, FallthroughRetryPolicy, RETRY_SAME, RETRY_NEXT, RETHROW } from './retry-policy.js';
export type { RetryPolicy, RetryDecision, RetryContext } from './retry-policy.js';
export { HostReconnector } from './host-reconnector.js';
export { ClusterTopology } from './cluster-topology.js';
export type { ClusterTopologyOptions, SharedConnectionOptions, TopologyListener } from './cluster-topology.js';
export { queryRows } from './system-tables.js';
