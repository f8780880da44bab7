import { randomBytes } from 'node:crypto';
import { ArgumentError } from '../../errors/cqlwire-error.js';
import { INSPECT_CUSTOM, type InspectStylizer, inspectValue } from './inspect-value.js';

const UUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A CQL `uuid`: 16 bytes in RFC 4122 order (native_protocol_v5.spec §5.22 (uuid)). Held as four 32-bit words rather
 * than a Buffer, so decoding one allocates no memory beyond the object and keeps no reference to
 * the row buffer it came from.
 */
export class Uuid {
  /** Bytes 0-3, 4-7, 8-11, 12-15 as unsigned 32-bit big-endian words. */
  protected readonly w0: number;
  protected readonly w1: number;
  protected readonly w2: number;
  protected readonly w3: number;

  /** From 16 bytes at `offset` (copied into the words, not retained). */
  constructor(bytes: Uint8Array, offset = 0) {
    if (offset < 0 || offset + 16 > bytes.length)
      throw new ArgumentError(`A uuid needs 16 bytes at offset ${offset}, got ${bytes.length - offset}`);
    this.w0 = word(bytes, offset);
    this.w1 = word(bytes, offset + 4);
    this.w2 = word(bytes, offset + 8);
    this.w3 = word(bytes, offset + 12);
  }

  /** Parses 8-4-4-4-12 hex, either case. `ArgumentError` otherwise. */
  static fromString(text: string): Uuid {
    return new Uuid(parseUuidBytes(text));
  }

  /** A random (version 4) uuid. */
  static random(): Uuid {
    const b = randomBytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    return new Uuid(b);
  }

  /** The version nibble (1 for a timeuuid, 4 for a random one). */
  get version(): number {
    return (this.w1 >>> 12) & 0x0f;
  }

  /** The 16 bytes (a new Buffer). */
  toBuffer(): Buffer {
    const b = Buffer.allocUnsafe(16);
    this.writeTo(b, 0);
    return b;
  }

  /** Writes the 16 bytes at `offset`. */
  writeTo(buf: Buffer, offset: number): void {
    buf.writeUInt32BE(this.w0, offset);
    buf.writeUInt32BE(this.w1, offset + 4);
    buf.writeUInt32BE(this.w2, offset + 8);
    buf.writeUInt32BE(this.w3, offset + 12);
  }

  /** Same 16 bytes (a Uuid and a TimeUuid with the same bytes are equal). */
  equals(other: unknown): boolean {
    return (
      other instanceof Uuid &&
      other.w0 === this.w0 &&
      other.w1 === this.w1 &&
      other.w2 === this.w2 &&
      other.w3 === this.w3
    );
  }

  /** Lower-case 8-4-4-4-12. */
  toString(): string {
    const a = hex8(this.w0);
    const b = hex8(this.w1);
    const c = hex8(this.w2);
    return `${a}-${b.slice(0, 4)}-${b.slice(4)}-${c.slice(0, 4)}-${c.slice(4)}${hex8(this.w3)}`;
  }

  /** The canonical text, so `JSON.stringify` of a row or an object holding this value never throws. */
  toJSON(): string {
    return this.toString();
  }

  /** `console.log` / `util.inspect` show the class name and the canonical text. */
  [INSPECT_CUSTOM](_depth: number, options: InspectStylizer | undefined): string {
    return inspectValue(this, this.toString(), options);
  }
}

/** The 16 bytes of an 8-4-4-4-12 uuid string; `ArgumentError` otherwise. */
export function parseUuidBytes(text: string): Buffer {
  const s = text.trim();
  if (!UUID_TEXT.test(s)) throw new ArgumentError(`"${text}" is not a uuid (8-4-4-4-12 hex digits)`);
  return Buffer.from(s.replace(/-/g, ''), 'hex');
}

function word(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function hex8(w: number): string {
  return w.toString(16).padStart(8, '0');
}
