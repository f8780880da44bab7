import type { Opcode } from './opcode.js';

/**
 * One protocol message as it travels: the envelope header fields and the body (PROTOCOL.md §3).
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
