export { Schema } from './schema.js';
export { buildTable } from './table-builder.js';
export type { ColumnDefinition } from './table-builder.js';
export { resolveType } from './type-resolver.js';
export type {
  ColumnKind, ColumnMetadata, KeyspaceMetadata, TableMetadata, SchemaChange, SchemaChangeListener,
  SchemaChangeTarget, SchemaChangeType,
} from './metadata.js';
