import { ArgumentError } from '../../errors/cqlwire-error.js';
import { formatInetAddress, parseInetAddress } from '../../primitives/inet-address.js';
import { INSPECT_CUSTOM, type InspectStylizer, inspectValue } from './inspect-value.js';

/**
 * A CQL `inet` value: an IPv4 (4 bytes) or IPv6 (16 bytes) address, no port (native_protocol_v5.spec §5.10 (inet)).
 * Kept as its canonical text, which is what callers read most; the bytes are derived on demand.
 */
export class InetAddress {
  /** The address as Node's `net` prints it (dotted quad, or RFC 5952 compressed IPv6). */
  readonly address: string;
  /** 4 or 6. */
  readonly family: 4 | 6;

  private constructor(address: string, family: 4 | 6) {
    this.address = address;
    this.family = family;
  }

  /** From 4 or 16 bytes at `offset` (the bytes are not retained). */
  static fromBytes(bytes: Uint8Array, offset = 0, length = bytes.length - offset): InetAddress {
    if (length !== 4 && length !== 16) throw new ArgumentError(`An inet address has 4 or 16 bytes, not ${length}`);
    if (offset < 0 || offset + length > bytes.length)
      throw new ArgumentError(`InetAddress.fromBytes: ${length} bytes at ${offset} do not fit ${bytes.length}`);
    return new InetAddress(formatInetAddress(bytes, offset, length), length === 4 ? 4 : 6);
  }

  /** Parses an IPv4 or IPv6 address; prints it back canonically. `ArgumentError` otherwise. */
  static fromString(text: string): InetAddress {
    return InetAddress.fromBytes(parseInetAddress(text.trim()));
  }

  /** The 4 or 16 address bytes (a new Buffer). */
  toBuffer(): Buffer {
    return parseInetAddress(this.address);
  }

  equals(other: unknown): boolean {
    return other instanceof InetAddress && other.address === this.address;
  }

  toString(): string {
    return this.address;
  }

  /** The canonical text, so `JSON.stringify` of a row or an object holding this value never throws. */
  toJSON(): string {
    return this.address;
  }

  /** `console.log` / `util.inspect` show the class name and the canonical text. */
  [INSPECT_CUSTOM](_depth: number, options: InspectStylizer | undefined): string {
    return inspectValue(this, this.toString(), options);
  }
}
