import { type Envelope, EnvelopeFlag } from '../protocol/envelope/index.js';
import { decodeResponseBody, readResponsePrefix } from '../protocol/messages/index.js';
import { PrimitiveReader } from '../protocol/primitives/primitive-reader.js';
import type { ProtocolVersion } from '../protocol/protocol-version.js';
import type { Response } from './response.js';

/** Flags announcing a response body prefix (native_protocol_v5.spec §2.4.1.2 (flags)). */
const PREFIX_FLAGS = EnvelopeFlag.TRACING | EnvelopeFlag.WARNING | EnvelopeFlag.CUSTOM_PAYLOAD;

/**
 * A response envelope's body as a {@link Response}: the prefix the flags announce (tracing id,
 * warnings, custom payload, in the server's order), then the message. The common case, no
 * prefix, allocates nothing beyond the message. Malformed bytes throw `ProtocolError`.
 */
export function decodeResponse(envelope: Envelope, version: ProtocolVersion): Response {
  if ((envelope.flags & PREFIX_FLAGS) === 0)
    return { message: decodeResponseBody(envelope.opcode, envelope.body, version) };
  const r = new PrimitiveReader(envelope.body);
  const prefix = readResponsePrefix(r, envelope.flags);
  const response: Response = { message: decodeResponseBody(envelope.opcode, envelope.body, version, r.offset) };
  if (prefix.tracingId !== undefined) response.tracingId = prefix.tracingId;
  if (prefix.warnings !== undefined) response.warnings = prefix.warnings;
  if (prefix.customPayload !== undefined) response.customPayload = prefix.customPayload;
  return response;
}
