export { FrameReader } from './frame-reader.js';
export { FrameWriter } from './frame-writer.js';
export { UNSET } from './unset.js';
export type { Unset } from './unset.js';
export { formatInetAddress, parseInetAddress } from './inet-address.js';
