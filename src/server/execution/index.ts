export type { BoundValue } from './cql-values.js';
export type { BoundValues, ExecuteOptions, LoadSource, PreparedStatement } from './database.js';
export { Database } from './database.js';
export type { ExecutionResult, FullRowsMetadata, RowsPage } from './result.js';
export { rowsPage, VOID_RESULT } from './result.js';
export { selectColumns } from './select-executor.js';
export type { VirtualTableDefinition } from './virtual-table.js';
export { VirtualTable } from './virtual-table.js';
