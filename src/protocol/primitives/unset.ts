/**
 * The "not set" marker: a bound [value] of length -2 (native_protocol_v4.spec and v5 §3
 * (Notations)), which leaves the column unchanged. The reader returns it and the writer accepts it.
 */
export const UNSET: unique symbol = Symbol.for('cqlwire.unset');
/** The type of the "not set" marker. */
export type Unset = typeof UNSET;
