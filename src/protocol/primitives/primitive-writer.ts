import { ArgumentError } from '../errors/cqlwire-error.js';
import { anchorMap } from '../map-anchors.js';
import { parseInetAddress } from './inet-address.js';
import { UNSET } from './unset.js';

/**
 * Writes the protocol's primitive notations (native_protocol_v5.spec §3 (Notations)) into a growing Buffer,
 * big-endian. One writer can be reused: `reset()` keeps its memory. `finish()` returns a view of
 * what was written (valid until the next write after a reset); `finishCopy()` returns a copy.
 */
export class PrimitiveWriter {
  private buf: Buffer;
  /** Bytes written so far. */
  length = 0;

  constructor(initialCapacity = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
  }

  /** Forgets what was written; keeps the memory. */
  reset(): this {
    this.length = 0;
    return this;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  /** A view of the bytes written. */
  finish(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /** A copy of the bytes written, independent of this writer. */
  finishCopy(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }

  /**
   * For bytes holding a secret (an authentication token): a copy in memory of its own, never the
   * shared Buffer pool that other small Buffers live in, and this writer's bytes zeroed.
   */
  finishSecret(): Buffer {
    const copy = Buffer.alloc(this.length);
    this.buf.copy(copy, 0, 0, this.length);
    this.buf.fill(0, 0, this.length);
    return copy;
  }

  /** [byte]. */
  byte(v: number): this {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  /** [short]: unsigned 16-bit. */
  short(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16BE(v & 0xffff, this.length);
    this.length += 2;
    return this;
  }

  /** A signed 16-bit value (stream ids). */
  signedShort(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.length);
    this.length += 2;
    return this;
  }

  /** [int]: signed 32-bit. */
  int(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.length);
    this.length += 4;
    return this;
  }

  /** An unsigned 32-bit value. */
  uint(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.length);
    this.length += 4;
    return this;
  }

  /** [long]: signed 64-bit. */
  long(v: bigint | number): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(typeof v === 'bigint' ? v : BigInt(v), this.length);
    this.length += 8;
    return this;
  }

  /** Raw bytes, no length prefix. */
  raw(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** Overwrites a signed 32-bit value at an earlier position (length back-patching). */
  patchInt(at: number, v: number): void {
    this.buf.writeInt32BE(v, at);
  }

  /** [string]: [short] length + UTF-8. */
  string(s: string): this {
    const n = Buffer.byteLength(s, 'utf8');
    if (n > 0xffff) throw new ArgumentError(`String of ${n} UTF-8 bytes is too long for a [string] (max 65535)`);
    this.ensure(2 + n);
    this.buf.writeUInt16BE(n, this.length);
    this.buf.write(s, this.length + 2, n, 'utf8');
    this.length += 2 + n;
    return this;
  }

  /** [long string]: [int] length + UTF-8. */
  longString(s: string): this {
    const n = Buffer.byteLength(s, 'utf8');
    this.ensure(4 + n);
    this.buf.writeInt32BE(n, this.length);
    this.buf.write(s, this.length + 4, n, 'utf8');
    this.length += 4 + n;
    return this;
  }

  /** [uuid]: 16 raw bytes. */
  uuid(b: Uint8Array): this {
    if (b.length !== 16) throw new ArgumentError(`A [uuid] is 16 bytes, got ${b.length}`);
    return this.raw(b);
  }

  /** [string list]. */
  stringList(list: readonly string[]): this {
    this.short(list.length);
    for (const s of list) this.string(s);
    return this;
  }

  /** [bytes]: [int] length + bytes; null is length -1. */
  bytes(b: Uint8Array | null): this {
    if (b === null) return this.int(-1);
    this.int(b.length);
    return this.raw(b);
  }

  /** [value]: like [bytes], with "not set" as length -2. */
  value(b: Uint8Array | null | typeof UNSET): this {
    if (b === UNSET) return this.int(-2);
    return this.bytes(b);
  }

  /** [short bytes]. */
  shortBytes(b: Uint8Array): this {
    if (b.length > 0xffff) throw new ArgumentError(`${b.length} bytes are too many for [short bytes] (max 65535)`);
    this.short(b.length);
    return this.raw(b);
  }

  /** [unsigned vint] (native_protocol_v5.spec §3). */
  unsignedVint(v: number | bigint): this {
    if (typeof v === 'number' && v >= 0 && v < 0x80) return this.byte(v);
    let big = BigInt(v);
    if (big < 0n || big > 0xffffffffffffffffn) throw new ArgumentError(`${v} does not fit an [unsigned vint]`);
    // size = (639 - 9 * clz64(v | 1)) >> 6  [SERVER VIntCoding]
    const bits = (big | 1n).toString(2).length;
    const size = (639 - 9 * (64 - bits)) >> 6;
    this.ensure(size);
    const start = this.length;
    for (let i = size - 1; i >= 0; i--) {
      this.buf[start + i] = Number(big & 0xffn);
      big >>= 8n;
    }
    if (size === 9) this.buf[start] = 0xff;
    else this.buf[start] = this.buf[start]! | (~(0xff >> (size - 1)) & 0xff);
    this.length += size;
    return this;
  }

  /** [vint]: zigzag-encoded signed 64-bit. */
  vint(v: number | bigint): this {
    const n = BigInt.asIntN(64, BigInt(v));
    return this.unsignedVint(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
  }

  /** [inetaddr]: size byte + address bytes. */
  inetAddr(address: string): this {
    const b = parseInetAddress(address);
    this.byte(b.length);
    return this.raw(b);
  }

  /** [inet]: [inetaddr] + [int] port. */
  inet(address: string, port: number): this {
    this.inetAddr(address);
    return this.int(port);
  }

  /** [consistency]. */
  consistency(v: number): this {
    return this.short(v);
  }

  /** [string map]. */
  stringMap(map: ReadonlyMap<string, string> | Readonly<Record<string, string>>): this {
    // `instanceof Map` widens to Map<any, any>, so both branches restate the entry types
    const entries =
      map instanceof Map
        ? [...(map as ReadonlyMap<string, string>).entries()]
        : Object.entries(map as Readonly<Record<string, string>>);
    this.short(entries.length);
    for (const [k, v] of entries) this.string(k).string(v);
    return this;
  }

  /** [string multimap]. */
  stringMultimap(map: ReadonlyMap<string, readonly string[]> | Readonly<Record<string, readonly string[]>>): this {
    const entries =
      map instanceof Map
        ? [...(map as ReadonlyMap<string, readonly string[]>).entries()]
        : Object.entries(map as Readonly<Record<string, readonly string[]>>);
    this.short(entries.length);
    for (const [k, v] of entries) this.string(k).stringList(v);
    return this;
  }

  /** [bytes map]. */
  bytesMap(map: ReadonlyMap<string, Uint8Array | null>): this {
    this.short(map.size);
    for (const [k, v] of map) this.string(k).bytes(v);
    return this;
  }
}

/** This class's map kept through full collections (protocol/map-anchors.ts). */
anchorMap(new PrimitiveWriter(16));
