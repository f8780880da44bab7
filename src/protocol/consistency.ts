/** Consistency levels: the [consistency] notation of native_protocol_v5.spec §3 (Notations). */
export const Consistency = {
  ANY: 0x0000,
  ONE: 0x0001,
  TWO: 0x0002,
  THREE: 0x0003,
  QUORUM: 0x0004,
  ALL: 0x0005,
  LOCAL_QUORUM: 0x0006,
  EACH_QUORUM: 0x0007,
  SERIAL: 0x0008,
  LOCAL_SERIAL: 0x0009,
  LOCAL_ONE: 0x000a,
} as const;

/** A consistency level's numeric code as it travels on the wire. */
export type Consistency = (typeof Consistency)[keyof typeof Consistency];

const consistencyNames = new Map<number, string>(Object.entries(Consistency).map(([name, code]) => [code, name]));

/** The spec name of a consistency code (`LOCAL_QUORUM`), or `UNKNOWN(0x..)`. */
export function consistencyName(code: number): string {
  return consistencyNames.get(code) ?? `UNKNOWN(0x${code.toString(16).padStart(4, '0')})`;
}

/** True when `code` is one of the consistency levels the protocol defines. */
export function isConsistency(code: unknown): code is Consistency {
  return typeof code === 'number' && consistencyNames.has(code);
}
