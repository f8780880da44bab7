export { indexCells } from './cell-index.js';
export type { CellDecoder, RowColumn } from './column.js';
export type { RowSource } from './row.js';
export { createRowClass, RESERVED_ROW_NAMES, Row } from './row.js';
export { decodeRowsPage, RowsPage } from './rows-page.js';
export type { RowDecodeOptions } from './rows-shape.js';
export { RowsShape } from './rows-shape.js';
