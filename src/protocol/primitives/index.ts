export { bytesListSize, writeBytesList } from './bytes-list.js';
export { FrameReader } from './frame-reader.js';
export { FrameWriter } from './frame-writer.js';
export type { ChecksumUpdate } from './gather-output.js';
export { GATHER_VIEW_MIN, GatherOutput } from './gather-output.js';
export { formatInetAddress, parseInetAddress } from './inet-address.js';
export type { Unset } from './unset.js';
export { UNSET } from './unset.js';
