/**
 * cqlwire/protocol: the CQL native protocol v3/v4/v5 as pure functions over bytes, in both
 * directions (client and server side). No I/O, no timers.
 */

export * from './compression/index.js';
export { Consistency, consistencyName, isConsistency } from './consistency.js';
export * from './envelope/index.js';
export * from './errors/index.js';
export * from './framing/index.js';
export * from './messages/index.js';
export * from './primitives/index.js';
export type { ProtocolVersion } from './protocol-version.js';
export { isSupportedProtocolVersion, SUPPORTED_PROTOCOL_VERSIONS } from './protocol-version.js';
export * from './rows/index.js';
export * from './segment/index.js';
export * from './token/index.js';
export * from './types/index.js';
