export { Opcode, isOpcode, opcodeName } from './opcode.js';
export { EnvelopeFlag } from './envelope-flag.js';
export type { Envelope, PartedEnvelope } from './envelope.js';
export { joinedBody, partedBodyLength } from './envelope.js';
export type { EnvelopeHeader, EnvelopeHeaderLimits } from './envelope-header.js';
export {
  DEFAULT_MAX_ENVELOPE_SIZE,
  ENVELOPE_HEADER_LENGTH,
  LEGACY_ENVELOPE_HEADER_LENGTH,
  RESPONSE_BIT,
  decodeEnvelopeHeader,
  envelopeFromHeader,
  envelopeHeaderLength,
  writeEnvelopeHeader,
} from './envelope-header.js';
export type { EnvelopeEncodeOptions } from './envelope-codec.js';
export { decompressEnvelopeBody, encodeEnvelope, encodeEnvelopes, gatherEnvelopes } from './envelope-codec.js';
