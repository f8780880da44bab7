/**
 * Message opcodes (spec §2.4, PROTOCOL.md §3.4). Defined here until `src/protocol/envelope` exports
 * its own `Opcode`; then this file re-exports that one so there is a single definition.
 */
export const Opcode = {
  ERROR: 0x00,
  STARTUP: 0x01,
  READY: 0x02,
  AUTHENTICATE: 0x03,
  // 0x04 was CREDENTIALS in v1 and does not exist in v3+.
  OPTIONS: 0x05,
  SUPPORTED: 0x06,
  QUERY: 0x07,
  RESULT: 0x08,
  PREPARE: 0x09,
  EXECUTE: 0x0a,
  REGISTER: 0x0b,
  EVENT: 0x0c,
  BATCH: 0x0d,
  AUTH_CHALLENGE: 0x0e,
  AUTH_RESPONSE: 0x0f,
  AUTH_SUCCESS: 0x10,
} as const;

/** One of the protocol's opcode numbers. */
export type Opcode = (typeof Opcode)[keyof typeof Opcode];
