export { FrameReader } from './frame-reader.js';
export { FrameWriter } from './frame-writer.js';
export { UNSET } from './unset.js';
export type { Unset } from './unset.js';
export { formatInetAddress, parseInetAddress } from './inet-address.js';
export { GATHER_VIEW_MIN, GatherOutput } from './gather-output.js';
export type { ChecksumUpdate } from './gather-output.js';
export { bytesListSize, writeBytesList } from './bytes-list.js';
