/** cqlwire table scans: a whole table read as token ranges in parallel, with exact checkpoints. */

export type { RangeEstimate } from './estimate-weights.js';
export { estimateWeights } from './estimate-weights.js';
export type { ScanFetchOptions, ScanSession } from './range-page-source.js';
export type { SchedulerHosts } from './range-scheduler.js';
export type { ScanCheckpoint, ScanRangePosition } from './scan-checkpoint.js';
export { readCheckpoint, SCAN_CHECKPOINT_FORMAT } from './scan-checkpoint.js';
export type { ScanOptions } from './scan-options.js';
export { checkScanOptions, DEFAULT_CONCURRENCY_LIMIT, MAX_CONCURRENCY, MAX_SPLITS } from './scan-options.js';
export type { ScanRange } from './scan-page.js';
export { ScanPage } from './scan-page.js';
export type { ScanStatements } from './scan-statements.js';
export { cqlIdentifier, scanStatements, splitQuery } from './scan-statements.js';
export type { ScanContext, ScanMetadata } from './start-scan.js';
export { startTableScan, tableName } from './start-scan.js';
export type { ScanProgress } from './table-scan.js';
export { TableScan } from './table-scan.js';
export type { RingPiece, RingRange, SplitPlan, TokenSplit } from './token-splits.js';
export { apportion, cutPieces, planSplits, RING_SIZE, ringPieces, shardSplits, tokenOffset } from './token-splits.js';
