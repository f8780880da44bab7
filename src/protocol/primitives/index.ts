export { bytesListSize, writeBytesList } from './bytes-list.js';
export type { ChecksumUpdate } from './gather-output.js';
export { GATHER_VIEW_MIN, GatherOutput } from './gather-output.js';
export { formatInetAddress, parseInetAddress } from './inet-address.js';
export { PrimitiveReader } from './primitive-reader.js';
export { PrimitiveWriter } from './primitive-writer.js';
export type { Unset } from './unset.js';
export { UNSET } from './unset.js';
