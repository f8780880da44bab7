export type {
  ColumnKind,
  ColumnMetadata,
  KeyspaceMetadata,
  SchemaChangeListener,
  TableMetadata,
} from './metadata.js';
export { Schema } from './schema.js';
export type { ColumnDefinition } from './table-builder.js';
export { buildTable } from './table-builder.js';
export { resolveType } from './type-resolver.js';
