export { DataStore } from './data-store.js';
export { TableData, comparePartitions, clusteringComparator } from './table-data.js';
export type { SlabLayout } from './table-data.js';
export { BulkLoader } from './bulk-load.js';
export { Partition } from './partition.js';
export type { StoredRow, ClusteringComparator } from './partition.js';
export { encodeRow, decodeRow, cellValue, cellOffsets } from './row-layout.js';
export { comparatorFor } from './value-comparator.js';
export type { ValueComparator } from './value-comparator.js';
