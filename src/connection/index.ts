/** cqlwire connection layer: one socket to one node, and a pool of them per host. */

export type { Authenticator, AuthProvider } from './authenticator.js';
export { authProviderFor, PlainTextAuthenticator, PlainTextAuthProvider } from './authenticator.js';
export type { BackoffOptions } from './backoff.js';
export { ExponentialBackoff } from './backoff.js';
export { Connection } from './connection.js';
export type { CloseListener, EventListener } from './connection-listeners.js';
export type { ConnectionOptions, ResolvedConnectionOptions, SendOptions } from './connection-options.js';
export { DEFAULT_PORT, resolveConnectionOptions } from './connection-options.js';
export { DRIVER_NAME, DRIVER_VERSION } from './driver-info.js';
export {
  AuthenticationError,
  ConnectionClosedError,
  ConnectionError,
  formatEndpoint,
  RequestCancelledError,
  RequestTimeoutError,
} from './errors.js';
export type { HostPoolOptions } from './host-pool.js';
export { HostPool } from './host-pool.js';
export { checkMilliseconds, MAX_TIMER_MS } from './milliseconds.js';
export { isProtocolVersionRefusal, openConnection } from './open-connection.js';
export type { Response } from './response.js';
export { StreamIdPool } from './stream-id-pool.js';
