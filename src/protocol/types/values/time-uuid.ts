import { randomBytes } from 'node:crypto';
import { ArgumentError } from '../../errors/cqlwire-error.js';
import { parseUuidBytes, Uuid } from './uuid.js';

/** 100-ns intervals between the Gregorian reform (1582-10-15, RFC 4122 §4.1.4) and the Unix epoch. */
const GREGORIAN_OFFSET = 122_192_928_000_000_000n;
const TICKS_PER_MS = 10_000n;

/**
 * A CQL `timeuuid`: a version 1 uuid whose 60-bit timestamp counts 100-ns intervals since
 * 1582-10-15 (RFC 4122 §4.1.4). Same bytes and text as `Uuid`; adds the time it carries.
 */
export class TimeUuid extends Uuid {
  /** Parses 8-4-4-4-12 hex. Does not insist on version 1: Cassandra validates that itself. */
  static override fromString(text: string): TimeUuid {
    return new TimeUuid(parseUuidBytes(text));
  }

  /**
   * A version 1 uuid for `date` (`ticks`: extra 100-ns intervals, 0-9999), with a random clock
   * sequence and a random multicast node, as RFC 4122 §4.5 allows when no MAC is used.
   */
  static fromDate(date: Date, ticks = 0): TimeUuid {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new ArgumentError('TimeUuid.fromDate: invalid Date');
    if (!Number.isInteger(ticks) || ticks < 0 || ticks > 9999)
      throw new ArgumentError(`TimeUuid ticks ${ticks} not in [0, 9999]`);
    const t = BigInt(ms) * TICKS_PER_MS + BigInt(ticks) + GREGORIAN_OFFSET;
    if (t < 0n || t >= 1n << 60n) throw new ArgumentError(`${date.toISOString()} cannot be held by a timeuuid`);
    return timeUuidOf(t, randomBytes(16));
  }

  /**
   * A version 1 uuid for the current time (cassandra-driver's `TimeUuid.now()`): the clock
   * sequence and node are random, chosen once per process (RFC 4122 §4.5), and the timestamp is
   * strictly increasing within the process: calls in the same millisecond count up its 100-ns
   * ticks, and a clock that steps back does not make it go back.
   */
  static now(): TimeUuid {
    let ms = Date.now();
    let tick = 0;
    if (ms <= lastMs) {
      ms = lastMs;
      tick = lastTick + 1;
      if (tick > 9999) {
        ms++;
        tick = 0;
      }
    }
    lastMs = ms;
    lastTick = tick;
    processClockAndNode ??= randomBytes(16);
    // the Uuid keeps four words, not the buffer: one buffer serves every call
    return timeUuidOf(BigInt(ms) * TICKS_PER_MS + BigInt(tick) + GREGORIAN_OFFSET, processClockAndNode);
  }

  /** The 60-bit timestamp: 100-ns intervals since 1582-10-15. */
  get timestamp(): bigint {
    return (BigInt(this.w1 & 0x0fff) << 48n) | (BigInt(this.w1 >>> 16) << 32n) | BigInt(this.w0);
  }

  /** The time the uuid carries, to the millisecond. */
  getDate(): Date {
    const ticks = this.timestamp - GREGORIAN_OFFSET;
    // floor division, so times before 1970 round down like the positive ones
    const ms = ticks >= 0n ? ticks / TICKS_PER_MS : -((-ticks + TICKS_PER_MS - 1n) / TICKS_PER_MS);
    return new Date(Number(ms));
  }
}

/** The millisecond and tick of the last `TimeUuid.now()`: later calls never go below them. */
let lastMs = Number.NEGATIVE_INFINITY;
let lastTick = 0;
/** Bytes 8-15 (clock sequence and node) of every `TimeUuid.now()` of this process; drawn on first use. */
let processClockAndNode: Buffer | undefined;

/**
 * Writes the 60-bit timestamp `t` and the version into `b` (16 bytes whose 8-15 hold the clock
 * sequence and node) and sets the variant and the multicast bit of the node (RFC 4122 §4.1, §4.5).
 */
function timeUuidOf(t: bigint, b: Buffer): TimeUuid {
  b.writeUInt32BE(Number(t & 0xffffffffn), 0);
  b.writeUInt16BE(Number((t >> 32n) & 0xffffn), 4);
  b.writeUInt16BE(Number((t >> 48n) & 0x0fffn) | 0x1000, 6);
  b[8] = (b[8]! & 0x3f) | 0x80;
  b[10] = b[10]! | 0x01;
  return new TimeUuid(b);
}
