export type { RowColumn, CellDecoder } from './column.js';
export { indexCells } from './cell-index.js';
export { Row, createRowClass, RESERVED_ROW_NAMES } from './row.js';
export type { RowSource } from './row.js';
export { RowsShape } from './rows-shape.js';
export type { RowDecodeOptions } from './rows-shape.js';
export { RowsPage, decodeRowsPage } from './rows-page.js';
