import type { SchemaChange } from '../protocol/messages/index.js';
import type { Host } from './host.js';

/**
 * The events a `Cluster` emits (`cluster.on('hostDown', (host) => ...)`), each with its listener's
 * arguments. Host events carry the cluster's `Host` object (its `isUp` already updated).
 */
export interface ClusterEventMap {
  /** A host answers again (a STATUS_CHANGE UP event, or the reconnector reached it). */
  hostUp: [host: Host];
  /** A host stopped answering (a STATUS_CHANGE DOWN event, or its connections failed). */
  hostDown: [host: Host];
  /** A host joined the cluster (also once per host found by the first `connect()`). */
  hostAdded: [host: Host];
  /** A host left the cluster (it is no longer in system.peers). */
  hostRemoved: [host: Host];
  /** A SCHEMA_CHANGE event: a keyspace, table, type, function or aggregate was created, updated or dropped. */
  schemaChange: [change: SchemaChange];
}
