/**
 * Server error codes (native_protocol_v5.spec §8 (Error codes), native_protocol_v4.spec §9), with
 * their upper-snake-case names.
 */
export const ErrorCode = {
  SERVER_ERROR: 0x0000,
  PROTOCOL_ERROR: 0x000a,
  BAD_CREDENTIALS: 0x0100,
  UNAVAILABLE: 0x1000,
  OVERLOADED: 0x1001,
  IS_BOOTSTRAPPING: 0x1002,
  TRUNCATE_ERROR: 0x1003,
  WRITE_TIMEOUT: 0x1100,
  READ_TIMEOUT: 0x1200,
  READ_FAILURE: 0x1300,
  FUNCTION_FAILURE: 0x1400,
  WRITE_FAILURE: 0x1500,
  CDC_WRITE_FAILURE: 0x1600,
  CAS_WRITE_UNKNOWN: 0x1700,
  SYNTAX_ERROR: 0x2000,
  UNAUTHORIZED: 0x2100,
  INVALID: 0x2200,
  CONFIG_ERROR: 0x2300,
  ALREADY_EXISTS: 0x2400,
  UNPREPARED: 0x2500,
} as const;

/** One of the protocol's error code numbers. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The upper-snake-case name of an error code. */
export type ErrorCodeName = keyof typeof ErrorCode;

const errorCodeNames = new Map<number, ErrorCodeName>(
  (Object.entries(ErrorCode) as [ErrorCodeName, number][]).map(([name, code]) => [code, name]),
);

/** `READ_TIMEOUT` for 0x1200; `UNKNOWN(0x....)` for a code the protocol does not define. */
export function errorCodeName(code: number): string {
  return errorCodeNames.get(code) ?? `UNKNOWN(0x${code.toString(16).padStart(4, '0')})`;
}

/** Resolves an error code given by name (`'OVERLOADED'`) or number; undefined when unknown. */
export function resolveErrorCode(code: string | number): number | undefined {
  if (typeof code === 'number') return Number.isInteger(code) && code >= 0 && code <= 0x7fffffff ? code : undefined;
  return (ErrorCode as Record<string, number>)[code];
}
