import { ProtocolError } from '../errors/cqlwire-error.js';
import { anchorMap } from '../map-anchors.js';
import { formatInetAddress } from './inet-address.js';
import { UNSET } from './unset.js';

const UTF8 = 'utf8';

/**
 * Reads the protocol's primitive notations (native_protocol_v5.spec §3 (Notations)) from one Buffer, big-endian,
 * at a moving offset. Nothing is copied unless a method says so: `bytes()` and `shortBytes()`
 * return views into the same memory. Reading past `end` throws a `ProtocolError` naming what was
 * being read, so a length field that points past the body can never crash or over-allocate.
 */
export class PrimitiveReader {
  /** The buffer being read. */
  readonly buf: Buffer;
  /** The next byte to read. */
  offset: number;
  /** One past the last readable byte. */
  readonly end: number;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    if (offset < 0 || end > buf.length || offset > end) {
      throw new ProtocolError(`PrimitiveReader bounds [${offset}, ${end}) do not fit a buffer of ${buf.length} bytes`);
    }
    this.buf = buf;
    this.offset = offset;
    this.end = end;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws a `ProtocolError` unless `n` more bytes are readable. */
  need(n: number, what: string): void {
    if (n < 0 || this.offset + n > this.end) {
      throw new ProtocolError(
        `Truncated ${what}: needs ${n} bytes at offset ${this.offset}, ${this.end - this.offset} left`,
      );
    }
  }

  /** [byte]: unsigned 8-bit. */
  byte(): number {
    this.need(1, '[byte]');
    return this.buf[this.offset++]!;
  }

  /** [short]: unsigned 16-bit. */
  short(): number {
    this.need(2, '[short]');
    const v = this.buf.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  /** A signed 16-bit value (stream ids). */
  signedShort(): number {
    this.need(2, 'signed [short]');
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  /** [int]: signed 32-bit. */
  int(): number {
    this.need(4, '[int]');
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** An unsigned 32-bit value. */
  uint(): number {
    this.need(4, 'unsigned [int]');
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** [long]: signed 64-bit as a bigint. */
  long(): bigint {
    this.need(8, '[long]');
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  /** [string]: [short] length + UTF-8. */
  string(): string {
    const n = this.short();
    this.need(n, '[string] body');
    const s = this.buf.toString(UTF8, this.offset, this.offset + n);
    this.offset += n;
    return s;
  }

  /** [long string]: [int] length + UTF-8. */
  longString(): string {
    const n = this.int();
    if (n < 0) throw new ProtocolError(`Negative [long string] length ${n} at offset ${this.offset - 4}`);
    this.need(n, '[long string] body');
    const s = this.buf.toString(UTF8, this.offset, this.offset + n);
    this.offset += n;
    return s;
  }

  /** [uuid]: 16 raw bytes, as a view. */
  uuid(): Buffer {
    this.need(16, '[uuid]');
    const v = this.buf.subarray(this.offset, this.offset + 16);
    this.offset += 16;
    return v;
  }

  /** [string list]: [short] n + n [string]. */
  stringList(): string[] {
    const n = this.short();
    // each [string] needs at least its 2 length bytes: check before allocating the array
    this.need(n * 2, '[string list]');
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = this.string();
    return out;
  }

  /** [bytes]: [int] n + n bytes; null when n < 0. A view, not a copy. */
  bytes(): Buffer | null {
    const n = this.int();
    if (n < 0) return null;
    this.need(n, '[bytes] body');
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  /**
   * [value]: like [bytes], but -1 is null and -2 is "not set" (v4+); anything below -2 is an error.
   * Returns the view, `null`, or `UNSET`.
   */
  value(): Buffer | null | typeof UNSET {
    const n = this.int();
    if (n === -1) return null;
    if (n === -2) return UNSET;
    if (n < 0) throw new ProtocolError(`Invalid [value] length ${n} at offset ${this.offset - 4}`);
    this.need(n, '[value] body');
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  /** [short bytes]: [short] n + n bytes, as a view. */
  shortBytes(): Buffer {
    const n = this.short();
    this.need(n, '[short bytes] body');
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  /** [unsigned vint] as a bigint (native_protocol_v5.spec §3). */
  unsignedVintBig(): bigint {
    this.need(1, '[unsigned vint]');
    const first = this.buf[this.offset]!;
    const extra = leadingOnes(first);
    this.need(1 + extra, '[unsigned vint]');
    let v = BigInt(first & (0xff >> extra));
    for (let i = 1; i <= extra; i++) v = (v << 8n) | BigInt(this.buf[this.offset + i]!);
    this.offset += 1 + extra;
    return v;
  }

  /** [unsigned vint] as a number; throws when it exceeds 2^53 - 1. */
  unsignedVint(): number {
    this.need(1, '[unsigned vint]');
    const first = this.buf[this.offset]!;
    if (first < 0x80) {
      this.offset++;
      return first;
    }
    const v = this.unsignedVintBig();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtocolError(`[unsigned vint] ${v} is too large`);
    return Number(v);
  }

  /** [vint]: zigzag-decoded signed 64-bit, as a bigint. */
  vintBig(): bigint {
    const z = this.unsignedVintBig();
    return BigInt.asIntN(64, (z >> 1n) ^ -(z & 1n));
  }

  /** [inetaddr]: [byte] size (4 or 16) + address, formatted as Node's `net` prints it. */
  inetAddr(): string {
    const size = this.byte();
    if (size !== 4 && size !== 16) throw new ProtocolError(`Invalid [inetaddr] size ${size} (expected 4 or 16)`);
    this.need(size, '[inetaddr] address');
    const s = formatInetAddress(this.buf, this.offset, size);
    this.offset += size;
    return s;
  }

  /** [inet]: [inetaddr] + [int] port. */
  inet(): { address: string; port: number } {
    const address = this.inetAddr();
    const port = this.int();
    return { address, port };
  }

  /** [consistency]: a [short]. */
  consistency(): number {
    return this.short();
  }

  /** [string map]: [short] n + n ([string], [string]). */
  stringMap(): Map<string, string> {
    const n = this.short();
    this.need(n * 4, '[string map]');
    const out = new Map<string, string>();
    for (let i = 0; i < n; i++) {
      const k = this.string();
      out.set(k, this.string());
    }
    return out;
  }

  /** [string multimap]: [short] n + n ([string], [string list]). */
  stringMultimap(): Map<string, string[]> {
    const n = this.short();
    this.need(n * 4, '[string multimap]');
    const out = new Map<string, string[]>();
    for (let i = 0; i < n; i++) {
      const k = this.string();
      out.set(k, this.stringList());
    }
    return out;
  }

  /** [bytes map]: [short] n + n ([string], [bytes]). Values are views. */
  bytesMap(): Map<string, Buffer | null> {
    const n = this.short();
    this.need(n * 6, '[bytes map]');
    const out = new Map<string, Buffer | null>();
    for (let i = 0; i < n; i++) {
      const k = this.string();
      out.set(k, this.bytes());
    }
    return out;
  }

  /** Skips `n` bytes. */
  skip(n: number): void {
    this.need(n, 'skipped bytes');
    this.offset += n;
  }
}

/** Number of leading 1 bits of a byte (the extra-byte count of a vint). */
function leadingOnes(b: number): number {
  return Math.clz32(~(b << 24) >>> 0);
}

/** This class's map kept through full collections (protocol/map-anchors.ts). */
anchorMap(new PrimitiveReader(Buffer.alloc(0)));
