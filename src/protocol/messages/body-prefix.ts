import type { PrimitiveReader } from '../primitives/primitive-reader.js';
import type { PrimitiveWriter } from '../primitives/primitive-writer.js';

/**
 * Envelope flag bits that announce a body prefix (native_protocol_v5.spec §2.4.1.2 (flags),
 * native_protocol_v4.spec §2.2). The envelope module owns the full flag set; only these three shape
 * a body.
 */
const TRACING = 0x02;
const CUSTOM_PAYLOAD = 0x04;
const WARNING = 0x08;

/** A custom payload: [bytes map] (native_protocol_v5.spec §2.4.1.2 (flags), flag 0x04). */
export type CustomPayload = Map<string, Buffer | null>;

/** What may precede a response body. */
export interface ResponsePrefix {
  /** The 16-byte tracing session id (flag 0x02). */
  tracingId?: Buffer;
  /** Server warnings (flag 0x08, v4+). */
  warnings?: string[];
  customPayload?: CustomPayload;
}

/** What may precede a request body: only a custom payload (flag 0x04). */
export interface RequestPrefix {
  customPayload?: CustomPayload;
}

/**
 * Reads the response prefix the envelope flags announce, in the server's order: tracing id,
 * warnings, custom payload (native_protocol_v5.spec §4 (Messages) and Cassandra's `Message.encode`; the DataStax
 * Java native-protocol library's `FrameCodec` puts the custom payload before the warnings, which
 * is not what the server sends). `r` is left at the start of the message proper. Unknown flag
 * bits are ignored.
 */
export function readResponsePrefix(r: PrimitiveReader, flags: number): ResponsePrefix {
  const prefix: ResponsePrefix = {};
  if (flags & TRACING) prefix.tracingId = r.uuid();
  if (flags & WARNING) prefix.warnings = r.stringList();
  if (flags & CUSTOM_PAYLOAD) prefix.customPayload = readCustomPayload(r);
  return prefix;
}

/** Writes a response prefix; returns the envelope flags (0x02 | 0x08 | 0x04) it needs. */
export function writeResponsePrefix(w: PrimitiveWriter, prefix: ResponsePrefix): number {
  let flags = 0;
  if (prefix.tracingId !== undefined) {
    w.uuid(prefix.tracingId);
    flags |= TRACING;
  }
  if (prefix.warnings !== undefined) {
    w.stringList(prefix.warnings);
    flags |= WARNING;
  }
  if (prefix.customPayload !== undefined) {
    w.bytesMap(prefix.customPayload);
    flags |= CUSTOM_PAYLOAD;
  }
  return flags;
}

/**
 * Reads the request prefix: a custom payload when flag 0x04 is set. The tracing flag asks for
 * tracing and adds no bytes; the warning flag means nothing on requests (native_protocol_v5.spec §2.4.1.2 (flags)).
 */
export function readRequestPrefix(r: PrimitiveReader, flags: number): RequestPrefix {
  return flags & CUSTOM_PAYLOAD ? { customPayload: readCustomPayload(r) } : {};
}

/** Writes a request prefix; returns the envelope flag (0x04) it needs, or 0. */
export function writeRequestPrefix(w: PrimitiveWriter, prefix: RequestPrefix): number {
  if (prefix.customPayload === undefined) return 0;
  w.bytesMap(prefix.customPayload);
  return CUSTOM_PAYLOAD;
}

function readCustomPayload(r: PrimitiveReader): CustomPayload {
  return r.bytesMap();
}
