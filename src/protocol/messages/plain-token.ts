import { ArgumentError } from '../errors/cqlwire-error.js';

/**
 * The SASL PLAIN token Cassandra's `PasswordAuthenticator` expects (RFC 4616; the AUTH_RESPONSE
 * token of native_protocol_v5.spec §4.1.2): an empty authzid, NUL, the user, NUL, the password, all
 * UTF-8.
 */
export function encodePlainToken(username: string, password: string): Buffer {
  // the server splits the token at NULs, so neither field may hold one
  if (username.includes('\0')) throw new ArgumentError('The username must not contain a NUL character');
  if (password.includes('\0')) throw new ArgumentError('The password must not contain a NUL character');
  // Written straight into memory of its own (Buffer.alloc never uses the shared pool): a pooled
  // temporary would leave the password in a slab that later small Buffers (pages, values) share,
  // where anything that dumps their ArrayBuffer (util.inspect with showHidden) would show it.
  const userLength = Buffer.byteLength(username, 'utf8');
  const token = Buffer.alloc(2 + userLength + Buffer.byteLength(password, 'utf8'));
  // token[0] = 0 ends the empty authzid; token[1 + userLength] = 0 ends the user
  token.write(username, 1, 'utf8');
  token.write(password, 2 + userLength, 'utf8');
  return token;
}

/**
 * Splits a SASL PLAIN token as the server does: scanning from the end, the bytes after the last
 * NUL are the password and those between the two last NULs the user; anything before is the
 * authzid. Returns null when a NUL is missing (the server then fails authentication).
 */
export function decodePlainToken(token: Buffer): { authzid: string; username: string; password: string } | null {
  const last = token.lastIndexOf(0);
  if (last < 0) return null;
  const before = last === 0 ? -1 : token.lastIndexOf(0, last - 1);
  if (before < 0) return null;
  return {
    authzid: token.toString('utf8', 0, before),
    username: token.toString('utf8', before + 1, last),
    password: token.toString('utf8', last + 1),
  };
}
