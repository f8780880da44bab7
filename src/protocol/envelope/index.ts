export type { Envelope, PartedEnvelope } from './envelope.js';
export { joinedBody, partedBodyLength } from './envelope.js';
export type { EnvelopeEncodeOptions } from './envelope-codec.js';
export { decompressEnvelopeBody, encodeEnvelope, encodeEnvelopes, gatherEnvelopes } from './envelope-codec.js';
export { EnvelopeFlag } from './envelope-flag.js';
export type { EnvelopeHeader, EnvelopeHeaderLimits } from './envelope-header.js';
export {
  DEFAULT_MAX_ENVELOPE_SIZE,
  decodeEnvelopeHeader,
  ENVELOPE_HEADER_LENGTH,
  envelopeFromHeader,
  envelopeHeaderLength,
  LEGACY_ENVELOPE_HEADER_LENGTH,
  RESPONSE_BIT,
  writeEnvelopeHeader,
} from './envelope-header.js';
export { isOpcode, Opcode, opcodeName } from './opcode.js';
