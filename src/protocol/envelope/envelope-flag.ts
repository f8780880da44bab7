/** Envelope header flag bits (native_protocol_v5.spec §2.4.1.2 (flags), native_protocol_v4.spec §2.2). */
export const EnvelopeFlag = {
  /** v3/v4: the body is compressed. v5: deprecated, ignored, sent as 0 (native_protocol_v5.spec §2.4.1.2 (flags)). */
  COMPRESSED: 0x01,
  /** Request: trace this. Response: the body starts with a 16-byte tracing session id. */
  TRACING: 0x02,
  /** A [bytes map] custom payload precedes the message body. */
  CUSTOM_PAYLOAD: 0x04,
  /** Response: a [string list] of warnings precedes the message body. */
  WARNING: 0x08,
  /** Opt in to a beta protocol version; the server sets it on replies in that version. */
  USE_BETA: 0x10,
} as const;

/** One of the flag bits of {@link EnvelopeFlag}. */
export type EnvelopeFlag = (typeof EnvelopeFlag)[keyof typeof EnvelopeFlag];
