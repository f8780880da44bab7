import { anchorMap } from '../map-anchors.js';

/** Pieces at least this long are handed out as views of the caller's buffer instead of copied. */
export const GATHER_VIEW_MIN = 8192;

/** A running checksum in zlib's style: `update(data, previous)` returns the new value. */
export type ChecksumUpdate = (data: Uint8Array, previous: number) => number;

/**
 * Builds what to hand to one vectored socket write: short pieces (headers, small bodies) are
 * copied together into one scratch buffer, long ones (a page of stored rows) are passed on as
 * views, so a large body reaches the socket without being copied in user space. Optionally keeps
 * a running checksum over everything appended between `startChecksum` and `endChecksum`,
 * whether it was copied or viewed (v5 segment payload CRC32).
 *
 * The views alias the caller's buffers until the write completes: pass only bytes that are never
 * modified afterwards.
 */
export class GatherOutput {
  private readonly out: Buffer[] = [];
  private scratch: Buffer;
  private pos = 0;
  /** Start of the copied bytes not yet handed to `out`. */
  private runStart = 0;
  private checksumUpdate: ChecksumUpdate | undefined;
  /** Start of the copied bytes not yet folded into the checksum. */
  private checksumFrom = 0;
  private checksum = 0;

  /**
   * `capacity`: the copied bytes expected (the scratch grows when more arrive). `viewMin`: the
   * shortest piece passed on as a view (Infinity copies everything into one buffer).
   * `ownMemory`: the scratch never comes from Node's shared Buffer pool, for temporaries that may
   * hold a secret and must not share an ArrayBuffer with longer-lived Buffers.
   */
  constructor(
    capacity: number,
    private readonly viewMin = GATHER_VIEW_MIN,
    private readonly ownMemory = false,
  ) {
    this.scratch = this.allocate(Math.max(64, capacity));
  }

  private allocate(size: number): Buffer {
    return this.ownMemory ? Buffer.allocUnsafeSlow(size) : Buffer.allocUnsafe(size);
  }

  /** Reserves `n` bytes of copied output and returns the buffer and offset to write them at. */
  reserve(n: number): { buffer: Buffer; offset: number } {
    this.ensure(n);
    const offset = this.pos;
    this.pos += n;
    return { buffer: this.scratch, offset };
  }

  /** Appends bytes [from, to) of `source`: copied when short, as a view when long. */
  append(source: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    if (n >= this.viewMin) {
      this.foldChecksum();
      this.flushRun();
      const view = source.subarray(from, to);
      if (this.checksumUpdate) this.checksum = this.checksumUpdate(view, this.checksum);
      this.out.push(view);
      return;
    }
    this.ensure(n);
    source.copy(this.scratch, this.pos, from, to);
    this.pos += n;
  }

  /** Starts a checksum over what is appended from now on. */
  startChecksum(update: ChecksumUpdate, seed: number): void {
    this.checksumUpdate = update;
    this.checksum = seed;
    this.checksumFrom = this.pos;
  }

  /** Ends the running checksum and returns it. */
  endChecksum(): number {
    this.foldChecksum();
    this.checksumUpdate = undefined;
    return this.checksum;
  }

  /** The buffers to write, in order. The object must not be used afterwards. */
  finish(): Buffer[] {
    this.flushRun();
    return this.out;
  }

  private foldChecksum(): void {
    if (this.checksumUpdate && this.pos > this.checksumFrom) {
      this.checksum = this.checksumUpdate(this.scratch.subarray(this.checksumFrom, this.pos), this.checksum);
    }
    this.checksumFrom = this.pos;
  }

  private flushRun(): void {
    if (this.pos > this.runStart) this.out.push(this.scratch.subarray(this.runStart, this.pos));
    this.runStart = this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.scratch.length) return;
    this.foldChecksum();
    this.flushRun();
    this.scratch = this.allocate(Math.max(n, 2 * this.scratch.length));
    this.pos = 0;
    this.runStart = 0;
    this.checksumFrom = 0;
  }
}

/**
 * This class's map kept through full collections (protocol/map-anchors.ts), with a checksum as
 * real ones hold (a CRC32 above 2^31 is not a small integer).
 */
const gatherAnchor = anchorMap(new GatherOutput(64));
gatherAnchor.startChecksum((_data, previous) => previous, 0xffff_ffff);
gatherAnchor.endChecksum();
