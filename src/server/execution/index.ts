export { Database } from './database.js';
export type { BoundValues, ExecuteOptions, PreparedStatement, LoadSource } from './database.js';
export type { ColumnSpec, ExecutionResult, RowsResult } from './result.js';
export type { BoundValue } from './cql-values.js';
export { validateBound, termBytes, literalValue } from './cql-values.js';
export { VirtualTable } from './virtual-table.js';
export type { VirtualTableDefinition } from './virtual-table.js';
export { selectColumns } from './select-executor.js';
