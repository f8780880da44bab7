import { ArgumentError } from '../protocol/errors/index.js';

/**
 * The client's stream ids, 0..32767 (signed 16 bits, negatives belong to the server:
 * native_protocol_v5.spec §2.4.1.3 (stream)). Ids never used yet are handed out in order; released
 * ids go on a stack and are reused first, so a lightly loaded connection keeps to a few small ids.
 * O(1) both ways, no allocation after construction.
 */
export class StreamIdPool {
  /** 32768: the most requests one connection can have in flight. */
  static readonly MAX_IDS = 0x8000;

  readonly capacity: number;
  private readonly freed: Uint16Array;
  private freedCount = 0;
  private nextFresh = 0;
  private inUse = 0;

  constructor(capacity: number = StreamIdPool.MAX_IDS) {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > StreamIdPool.MAX_IDS) {
      throw new ArgumentError(`Stream id capacity must be 1..${StreamIdPool.MAX_IDS}, got ${capacity}`);
    }
    this.capacity = capacity;
    this.freed = new Uint16Array(capacity);
  }

  /** Ids currently handed out (including ones held for a late answer). */
  get used(): number {
    return this.inUse;
  }

  /**
   * One more than the highest id ever handed out: no id at or above it is in use, so a scan for
   * the requests in flight stops here (ids freed are handed out again first, so it stays near
   * the most requests ever in flight at once, not 32,768).
   */
  get highWater(): number {
    return this.nextFresh;
  }

  /** A free id, or −1 when all `capacity` ids are in use. */
  acquire(): number {
    if (this.freedCount > 0) {
      this.inUse++;
      return this.freed[--this.freedCount]!;
    }
    if (this.nextFresh < this.capacity) {
      this.inUse++;
      return this.nextFresh++;
    }
    return -1;
  }

  /** Gives `id` back. The caller guarantees it was acquired and not yet released. */
  release(id: number): void {
    this.freed[this.freedCount++] = id;
    this.inUse--;
  }
}
