/**
 * The root of every error cqlwire throws. Catch this to catch them all.
 */
export class CqlwireError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Bytes from the network that do not follow the CQL native protocol: a truncated or oversized
 * envelope, a CRC mismatch, an unknown opcode, a length pointing past the end. The connection
 * that produced them is closed; nothing else is affected.
 */
export class ProtocolError extends CqlwireError {}

/**
 * The caller's mistake, detected before anything is sent: a wrong parameter count, a value of the
 * wrong type for its column, an option out of range.
 */
export class ArgumentError extends CqlwireError {}
