import type { Opcode } from './opcode.js';

/**
 * One protocol message as it travels: the envelope header fields and the body (native_protocol_v5.spec §2.4
 * (Frame Payload); a "frame" in native_protocol_v4.spec §1).
 *
 * `version` is the version number without the direction bit (0x85 on the wire is version 5,
 * `isResponse` true). `body` is always the plain (uncompressed) body. On a decoded envelope,
 * `flags` are the flags as they were on the wire, so COMPRESSED tells that the body arrived
 * v4-compressed; the encoder ignores an incoming COMPRESSED bit and decides it itself.
 * A decoded `body` is usually a view into received bytes: copy it to keep it past the chunk.
 */
export interface Envelope {
  version: number;
  isResponse: boolean;
  flags: number;
  /** Signed 16-bit stream id; −1 for server events. */
  stream: number;
  opcode: Opcode;
  body: Buffer;
}

/**
 * An envelope to encode whose body is given as consecutive parts, e.g. a Rows page's metadata
 * then a view of stored rows: the gathering encoders pass long parts on to the socket without
 * joining them first. The parts must not change until written.
 */
export interface PartedEnvelope {
  version: number;
  isResponse: boolean;
  flags: number;
  stream: number;
  opcode: Opcode;
  bodyParts: readonly Buffer[];
}

/** The body length of a parted envelope. */
export function partedBodyLength(envelope: PartedEnvelope): number {
  let n = 0;
  for (const part of envelope.bodyParts) n += part.length;
  return n;
}

/** The body of a parted envelope as one Buffer (the part itself when there is one). */
export function joinedBody(envelope: PartedEnvelope): Buffer {
  const parts = envelope.bodyParts;
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}
