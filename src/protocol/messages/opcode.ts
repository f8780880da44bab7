/**
 * The message opcodes (spec §2.4, PROTOCOL.md §3.4) have one definition, in the envelope module;
 * the message codecs switch on it.
 */
export { Opcode } from '../envelope/opcode.js';
