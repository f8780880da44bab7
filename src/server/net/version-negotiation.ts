import { EnvelopeFlag } from '../../protocol/envelope/envelope-flag.js';
import { Opcode } from '../../protocol/envelope/opcode.js';
import { ErrorCode } from '../../protocol/errors/index.js';
import { PrimitiveWriter } from '../../protocol/primitives/index.js';
import type { ProtocolVersion } from '../../protocol/protocol-version.js';

/** The beta version Cassandra 4.1/5.0 knows (ProtocolVersion V6 = "v6-beta"). */
const BETA_VERSION = 6;

/** The outcome of reading the version byte of a connection's first envelope. */
export type VersionDecision = { ok: true; version: ProtocolVersion } | { ok: false; message: string; reply: Buffer };

/** `3/v3, 4/v4, 5/v5, 6/v6-beta`: the list in SUPPORTED and in the version error message. */
export function protocolVersionDescriptions(supported: readonly ProtocolVersion[]): string[] {
  const list = supported.map((v) => `${v}/v${v}`);
  // Cassandra lists the beta version after the released ones; we refuse it the way Cassandra
  // does without USE_BETA (see negotiateVersion), so we list it only where Cassandra would.
  if (supported.includes(5)) list.push(`${BETA_VERSION}/v${BETA_VERSION}-beta`);
  return list;
}

/**
 * Decides on the version of a new connection from its first two bytes (version byte, flags), as
 * Cassandra's ProtocolVersion.decode does before the stream id is even read: an unsupported version
 * is answered with an unframed ERROR 0x000A on stream 0.
 * - 1 and 2 (and a known version below our minimum): "Invalid or unsupported protocol version
 *   (N); supported versions are (...)", encoded in version N itself, so v1/v2 get the 8-byte
 *   header with a one-byte stream id (recording `negotiate-v2`: `82 00 00 00 00000067`);
 * - 6 without USE_BETA: "Beta version of the protocol used (6/v6-beta), but USE_BETA flag is
 *   unset", encoded in version 6 with USE_BETA set (recording `negotiate-v6-nobeta`: 0x86, 0x10);
 * - anything above our maximum (and 6 with USE_BETA, which we do not speak): the invalid-version
 *   message in our highest version (CASSANDRA-16581: the channel's current version).
 */
export function negotiateVersion(
  versionByte: number,
  flags: number,
  supported: readonly ProtocolVersion[],
): VersionDecision {
  const v = versionByte & 0x7f;
  if ((supported as readonly number[]).includes(v)) return { ok: true, version: v as ProtocolVersion };
  const max = supported[supported.length - 1]!;
  const min = supported[0]!;
  const invalid = `Invalid or unsupported protocol version (${v}); supported versions are (${protocolVersionDescriptions(supported).join(', ')})`;
  if (v === BETA_VERSION && max === 5 && (flags & EnvelopeFlag.USE_BETA) === 0) {
    const message = `Beta version of the protocol used (${BETA_VERSION}/v${BETA_VERSION}-beta), but USE_BETA flag is unset`;
    return { ok: false, message, reply: versionErrorEnvelope(BETA_VERSION, EnvelopeFlag.USE_BETA, message) };
  }
  if (v < min) return { ok: false, message: invalid, reply: versionErrorEnvelope(v, 0, invalid) };
  return { ok: false, message: invalid, reply: versionErrorEnvelope(max, 0, invalid) };
}

/**
 * An unframed ERROR 0x000A response on stream 0, with the header of `version`: 8 bytes with a
 * one-byte stream id for versions 1 and 2, 9 bytes with a two-byte stream id from version 3.
 */
export function versionErrorEnvelope(version: number, flags: number, message: string): Buffer {
  const body = new PrimitiveWriter(64).int(ErrorCode.PROTOCOL_ERROR).string(message).finish();
  const w = new PrimitiveWriter(body.length + 9);
  w.byte(0x80 | (version & 0x7f)).byte(flags);
  if (version <= 2) w.byte(0);
  else w.short(0);
  w.byte(Opcode.ERROR).int(body.length).raw(body);
  return w.finishCopy();
}
