// Embedded server: its answers to OPTIONS, STARTUP and AUTH_RESPONSE (the client's side: src/connection/handshake.ts).

import type { ErrorResponse } from '../../protocol/errors/index.js';
import { ErrorCode } from '../../protocol/errors/index.js';
import { decodePlainToken } from '../../protocol/messages/index.js';
import type { ProtocolVersion } from '../../protocol/protocol-version.js';
import type { ResolvedServerOptions } from './server-options.js';
import { protocolVersionDescriptions } from './version-negotiation.js';

/** The authenticator class PasswordAuthenticator reports in AUTHENTICATE (recording auth-ok). */
export const PASSWORD_AUTHENTICATOR = 'org.apache.cassandra.auth.PasswordAuthenticator';

/** The CQL version a Cassandra release reports: 3.4.6 for 4.x, 3.4.7 for 5.x (the recordings). */
export function cqlVersionFor(cassandraVersion: string): string {
  return cassandraVersion.startsWith('4.') ? '3.4.6' : '3.4.7';
}

/** SUPPORTED's options (native_protocol_v5.spec §4.2.4 (SUPPORTED)), in the order Cassandra writes them. */
export function supportedOptions(options: ResolvedServerOptions): Map<string, string[]> {
  return new Map([
    ['PROTOCOL_VERSIONS', protocolVersionDescriptions(options.protocolVersions)],
    ['COMPRESSION', [...options.compression]],
    ['CQL_VERSION', [cqlVersionFor(options.cassandraVersion)]],
  ]);
}

// Cassandra's CassandraVersion pattern: major.minor[.patch[.hotfix]][-pre][+build].
const VERSION_PATTERN = /^(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[~-]\w[.\w]*(?:-\w[.\w]*)*)?(?:\+[.\w]+)?$/;

function protocolError(message: string): ErrorResponse {
  return { code: ErrorCode.PROTOCOL_ERROR, message };
}

/**
 * Checks a STARTUP's options as Cassandra's StartupMessage.execute does, with its messages
 * (native_protocol_v5.spec §4.1.1 (STARTUP), §2.3.2): keys are upper-cased, CQL_VERSION is
 * mandatory and must be >= 2.99.0, COMPRESSION is lower-cased and must be lz4 (snappy: not here,
 * and never on v5). Returns the compression to use, or the ERROR to answer.
 */
export function checkStartup(
  raw: ReadonlyMap<string, string>,
  _version: ProtocolVersion, // the same rules on v3, v4 and v5
  options: ResolvedServerOptions,
): { compression: 'none' | 'lz4' } | { error: ErrorResponse } {
  const startup = new Map<string, string>();
  for (const [k, v] of raw) startup.set(k.toUpperCase(), v);
  const cqlVersion = startup.get('CQL_VERSION');
  if (cqlVersion === undefined) return { error: protocolError('Missing value CQL_VERSION in STARTUP message') };
  const m = VERSION_PATTERN.exec(cqlVersion);
  if (m === null) return { error: protocolError(`Invalid version value: ${cqlVersion}`) };
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (major * 1e6 + minor * 1e3 + patch < 2 * 1e6 + 99 * 1e3) {
    return {
      error: protocolError(
        `CQL version ${cqlVersion} is not supported by the binary protocol (supported version are >= 3.0.0)`,
      ),
    };
  }
  const requested = startup.get('COMPRESSION');
  if (requested === undefined) return { compression: 'none' };
  const compression = requested.toLowerCase();
  if (compression === 'snappy') {
    // Checked in this order by Cassandra: the library first, then the version.
    return { error: protocolError('This instance does not support Snappy compression') };
  }
  if (compression === 'lz4' && options.compression.includes('lz4')) return { compression: 'lz4' };
  return { error: protocolError(`Unknown compression algorithm: ${compression}`) };
}

/**
 * Checks a SASL PLAIN token against the configured user, as PasswordAuthenticator does
 * (RFC 4616 PLAIN): the ERROR 0x0100 to answer, or undefined when the user may in.
 */
export function checkCredentials(
  token: Buffer | null,
  credentials: { username: string; password: string },
): ErrorResponse | undefined {
  const parsed = token === null ? null : decodePlainToken(token);
  if (parsed === null) {
    return {
      code: ErrorCode.BAD_CREDENTIALS,
      message:
        token === null || token.indexOf(0) < 0 ? 'Password must not be null' : 'Authentication ID must not be null',
    };
  }
  if (parsed.username !== credentials.username || parsed.password !== credentials.password) {
    return {
      code: ErrorCode.BAD_CREDENTIALS,
      message: `Provided username ${parsed.username} and/or password are incorrect`,
    };
  }
  return undefined;
}
