import { ArgumentError } from '../protocol/errors/index.js';
import { encodePlainToken } from '../protocol/messages/plain-token.js';

/**
 * One SASL conversation with one server (native_protocol_v5.spec §4.2.3 (AUTHENTICATE), §4.1.2
 * (AUTH_RESPONSE)). A new instance is made for every connection, since the exchange is stateful.
 */
export interface Authenticator {
  /** The first AUTH_RESPONSE token, sent right after AUTHENTICATE. */
  initialResponse(): Buffer | Promise<Buffer>;
  /** Answers an AUTH_CHALLENGE token with the next AUTH_RESPONSE token. */
  evaluateChallenge(token: Buffer | null): Buffer | Promise<Buffer>;
  /** Called with the AUTH_SUCCESS token (null for PasswordAuthenticator). */
  onSuccess(token: Buffer | null): void;
}

/**
 * Makes the {@link Authenticator} for one connection, given the server-side authenticator class
 * the AUTHENTICATE message named.
 */
export interface AuthProvider {
  newAuthenticator(endpoint: string, serverAuthenticator: string): Authenticator;
}

/** Private storage so that neither the provider nor `util.inspect` of it shows the password. */
const secrets = new WeakMap<object, { username: string; password: string }>();

/**
 * SASL PLAIN for Cassandra's PasswordAuthenticator: the token is `\0user\0password`
 * (RFC 4616, as Cassandra's `PasswordAuthenticator` reads it). It answers no challenge beyond the
 * first response.
 */
export class PlainTextAuthenticator implements Authenticator {
  constructor(username: string, password: string) {
    secrets.set(this, { username, password });
  }

  initialResponse(): Buffer {
    const { username, password } = secrets.get(this)!;
    return encodePlainToken(username, password);
  }

  evaluateChallenge(): Buffer {
    // PasswordAuthenticator completes after the first token; a challenge gets the same answer,
    // which is what the DataStax drivers do as well.
    return this.initialResponse();
  }

  onSuccess(): void {
    // nothing to verify: the server accepted the credentials
  }

  /** Keeps the credentials out of logs and error dumps. */
  toJSON(): Record<string, never> {
    return {};
  }
}

/** Hands out a {@link PlainTextAuthenticator} per connection for `{ username, password }`. */
export class PlainTextAuthProvider implements AuthProvider {
  /** The user name, safe to show; the password is kept out of the object's own properties. */
  readonly username: string;

  constructor(username: string, password: string) {
    this.username = username;
    secrets.set(this, { username, password });
  }

  newAuthenticator(): Authenticator {
    const { username, password } = secrets.get(this)!;
    return new PlainTextAuthenticator(username, password);
  }

  toJSON(): { username: string } {
    return { username: this.username };
  }
}

/**
 * The one place `credentials` become an auth provider: `authProvider` when given (it wins), else a
 * {@link PlainTextAuthProvider} for `credentials`, else undefined. Turning them into a provider at
 * once means no options object keeps a password in a property that `util.inspect` or a log could
 * print. Bad credentials are an `ArgumentError` (that never shows the password).
 */
export function authProviderFor(
  credentials: { readonly username: string; readonly password: string } | undefined,
  authProvider: AuthProvider | undefined,
): AuthProvider | undefined {
  if (authProvider !== undefined || credentials === undefined) return authProvider;
  // checked through unknown: a JavaScript caller may pass anything
  const given: unknown = credentials;
  const c = given as { username?: unknown; password?: unknown } | null;
  if (typeof c !== 'object' || c === null || typeof c.username !== 'string' || typeof c.password !== 'string')
    throw new ArgumentError('credentials must be { username: string, password: string }');
  return new PlainTextAuthProvider(c.username, c.password);
}
