/** cqlwire connection layer: one socket to one node, and a pool of them per host. */
export { Connection } from './connection.js';
export type { CloseListener, EventListener } from './connection-listeners.js';
export { openConnection, isProtocolVersionRefusal } from './open-connection.js';
export type { ConnectionOptions, SendOptions, ResolvedConnectionOptions } from './connection-options.js';
export { DEFAULT_PORT, resolveConnectionOptions } from './connection-options.js';
export type { Response } from './response.js';
export type { Authenticator, AuthProvider } from './authenticator.js';
export { PlainTextAuthenticator, PlainTextAuthProvider } from './authenticator.js';
export {
  AuthenticationError, ConnectionClosedError, ConnectionError, RequestCancelledError, RequestTimeoutError, formatEndpoint,
} from './errors.js';
export { StreamIdPool } from './stream-id-pool.js';
export { DRIVER_NAME, DRIVER_VERSION } from './driver-info.js';
export { HostPool } from './host-pool.js';
export type { HostPoolOptions } from './host-pool.js';
export { ExponentialBackoff } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
