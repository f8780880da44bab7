/**
 * Message opcodes (native_protocol_v5.spec §2.4.1.4 (opcode), native_protocol_v4.spec §2.4). 0x04 does not exist any
 * more (v1 CREDENTIALS).
 */
export const Opcode = {
  ERROR: 0x00,
  STARTUP: 0x01,
  READY: 0x02,
  AUTHENTICATE: 0x03,
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

/** One of the opcode numbers of {@link Opcode}. */
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

/** The name of each opcode, indexed by opcode number (undefined for 0x04 and above 0x10). */
const NAMES: readonly (string | undefined)[] = (() => {
  const names: (string | undefined)[] = [];
  for (const [name, code] of Object.entries(Opcode)) names[code] = name;
  return names;
})();

/** True if `code` is a known opcode. */
export function isOpcode(code: number): code is Opcode {
  return Number.isInteger(code) && code >= 0 && code < NAMES.length && NAMES[code] !== undefined;
}

/** The spec name of an opcode (`'QUERY'`), or `'UNKNOWN(0x..)'` for anything else. */
export function opcodeName(code: number): string {
  const name = isOpcode(code) ? NAMES[code] : undefined;
  return name ?? `UNKNOWN(0x${(code >>> 0).toString(16).padStart(2, '0')})`;
}
