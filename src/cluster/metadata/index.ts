/** Schema metadata (system_schema) and the token ring's ranges, as `cluster.metadata`. */

export type { ClusterMetadataOptions, MetadataSource } from './cluster-metadata.js';
export { ClusterMetadata } from './cluster-metadata.js';
export type { SchemaRows } from './keyspace-builder.js';
export { buildKeyspaces } from './keyspace-builder.js';
export type {
  ClusteringOrder,
  ColumnKind,
  ColumnMetadata,
  DroppedColumnMetadata,
  IndexMetadata,
  KeyspaceMetadata,
  KeyspaceReplication,
  SizeEstimate,
  TableMetadata,
  TableOptions,
  TokenRange,
} from './metadata-types.js';
export type { SchemaRow } from './schema-row.js';
export { parseSizeEstimates } from './size-estimates.js';
