import { ArgumentError } from '../../errors/cqlwire-error.js';
import { INSPECT_CUSTOM, type InspectStylizer, inspectValue } from './inspect-value.js';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const NS_PER_US = 1_000n;
const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const NS_PER_M = 60n * NS_PER_S;
const NS_PER_H = 60n * NS_PER_M;

/** Units of the standard form (`1y2mo3w4d5h6m7s8ms9us10ns`): which field, its size, its rank in the order. */
const UNITS: Readonly<Record<string, { field: 'months' | 'days' | 'nanos'; factor: bigint; rank: number }>> = {
  y: { field: 'months', factor: 12n, rank: 0 },
  mo: { field: 'months', factor: 1n, rank: 1 },
  w: { field: 'days', factor: 7n, rank: 2 },
  d: { field: 'days', factor: 1n, rank: 3 },
  h: { field: 'nanos', factor: NS_PER_H, rank: 4 },
  m: { field: 'nanos', factor: NS_PER_M, rank: 5 },
  s: { field: 'nanos', factor: NS_PER_S, rank: 6 },
  ms: { field: 'nanos', factor: NS_PER_MS, rank: 7 },
  us: { field: 'nanos', factor: NS_PER_US, rank: 8 },
  µs: { field: 'nanos', factor: NS_PER_US, rank: 8 },
  ns: { field: 'nanos', factor: 1n, rank: 9 },
};

/**
 * A CQL `duration`: months, days and nanoseconds kept apart, because a month or a day has no fixed
 * length. Months and days are int32, nanoseconds int64, and all three share a sign
 * (native_protocol_v5.spec §5.8 (duration)). Months and days are numbers; nanoseconds a bigint.
 */
export class Duration {
  readonly months: number;
  readonly days: number;
  readonly nanoseconds: bigint;

  constructor(months: number, days: number, nanoseconds: bigint | number) {
    const ns = typeof nanoseconds === 'bigint' ? nanoseconds : toBigInt(nanoseconds);
    if (!Number.isInteger(months) || months < INT32_MIN || months > INT32_MAX)
      throw bad(months, days, ns, 'months must be an int32');
    if (!Number.isInteger(days) || days < INT32_MIN || days > INT32_MAX)
      throw bad(months, days, ns, 'days must be an int32');
    if (ns < INT64_MIN || ns > INT64_MAX) throw bad(months, days, ns, 'nanoseconds must be an int64');
    if ((months < 0 || days < 0 || ns < 0n) && (months > 0 || days > 0 || ns > 0n)) {
      throw bad(months, days, ns, 'months, days and nanoseconds must all be >= 0 or all <= 0');
    }
    this.months = months;
    this.days = days;
    this.nanoseconds = ns;
  }

  /**
   * Parses the CQL duration forms: the unit form (`1y2mo3w4d5h6m7s8ms9us10ns`, any subset of units
   * in that order, optional leading `-`), ISO 8601 `P1Y2M3DT4H5M6S` / `P2W`, and the ISO
   * alternative `P0001-02-03T04:05:06`. `ArgumentError` otherwise.
   */
  static fromString(text: string): Duration {
    const s = text.trim();
    const negative = s.startsWith('-');
    const body = negative ? s.slice(1) : s;
    const total = { months: 0n, days: 0n, nanos: 0n };
    if (/^P/i.test(body)) parseIso(body, total, text);
    else parseUnits(body, total, text);
    const sign = negative ? -1n : 1n;
    const months = sign * total.months;
    const days = sign * total.days;
    const nanos = sign * total.nanos;
    if (
      months < BigInt(INT32_MIN) ||
      months > BigInt(INT32_MAX) ||
      days < BigInt(INT32_MIN) ||
      days > BigInt(INT32_MAX)
    ) {
      throw new ArgumentError(`Duration "${text}" has more months or days than an int32 holds`);
    }
    if (nanos < INT64_MIN || nanos > INT64_MAX)
      throw new ArgumentError(`Duration "${text}" has more nanoseconds than an int64 holds`);
    return new Duration(Number(months), Number(days), nanos);
  }

  equals(other: unknown): boolean {
    return (
      other instanceof Duration &&
      other.months === this.months &&
      other.days === this.days &&
      other.nanoseconds === this.nanoseconds
    );
  }

  /**
   * As Cassandra's `Duration.toString()` prints it: a `-` when negative, then years and months,
   * days (never weeks), and the nanoseconds split into h, m, s, ms, us, ns, each unit left out when
   * zero. A zero duration is therefore the empty string, exactly as Cassandra prints it.
   */
  toString(): string {
    let out = this.months < 0 || this.days < 0 || this.nanoseconds < 0n ? '-' : '';
    const months = Math.abs(this.months);
    if (months >= 12) out += `${Math.floor(months / 12)}y`;
    if (months % 12 !== 0) out += `${months % 12}mo`;
    if (this.days !== 0) out += `${Math.abs(this.days)}d`;
    let ns = this.nanoseconds < 0n ? -this.nanoseconds : this.nanoseconds;
    for (const [unit, size] of [
      ['h', NS_PER_H],
      ['m', NS_PER_M],
      ['s', NS_PER_S],
      ['ms', NS_PER_MS],
      ['us', NS_PER_US],
    ] as const) {
      if (ns >= size) {
        out += `${ns / size}${unit}`;
        ns %= size;
      }
    }
    if (ns !== 0n) out += `${ns}ns`;
    return out;
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

function toBigInt(n: number): bigint {
  if (!Number.isSafeInteger(n))
    throw new ArgumentError(`Duration nanoseconds ${n} is not a safe integer; pass a bigint`);
  return BigInt(n);
}

function bad(months: number, days: number, ns: bigint, why: string): ArgumentError {
  return new ArgumentError(`Invalid duration (months ${months}, days ${days}, nanoseconds ${ns}): ${why}`);
}

function parseUnits(body: string, total: { months: bigint; days: bigint; nanos: bigint }, text: string): void {
  if (body === '') throw new ArgumentError(`"${text}" is not a duration`);
  // longer unit names first so that "ms" is not read as "m" followed by garbage
  const re = /(\d+)(mo|ms|us|µs|ns|y|w|d|h|m|s)/iy;
  let lastRank = -1;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    const m = re.exec(body);
    if (m === null) throw new ArgumentError(`"${text}" is not a duration: cannot read "${body.slice(pos)}"`);
    const u = UNITS[m[2]!.toLowerCase()]!;
    if (u.rank <= lastRank)
      throw new ArgumentError(`"${text}" is not a duration: units must appear once each, largest first`);
    lastRank = u.rank;
    total[u.field] += BigInt(m[1]!) * u.factor;
    pos = re.lastIndex;
  }
}

function parseIso(body: string, total: { months: bigint; days: bigint; nanos: bigint }, text: string): void {
  const alt = /^P(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/i.exec(body);
  if (alt !== null) {
    const [y, mo, d, h, mi, s] = alt.slice(1).map((x) => BigInt(x)) as [bigint, bigint, bigint, bigint, bigint, bigint];
    total.months = y * 12n + mo;
    total.days = d;
    total.nanos = h * NS_PER_H + mi * NS_PER_M + s * NS_PER_S;
    return;
  }
  const week = /^P(\d+)W$/i.exec(body);
  if (week !== null) {
    total.days = BigInt(week[1]!) * 7n;
    return;
  }
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(body);
  if (m === null || body.length === 1 || /T$/i.test(body))
    throw new ArgumentError(`"${text}" is not an ISO 8601 duration`);
  const n = (i: number): bigint => (m[i] === undefined ? 0n : BigInt(m[i]));
  total.months = n(1) * 12n + n(2);
  total.days = n(3);
  total.nanos = n(4) * NS_PER_H + n(5) * NS_PER_M + n(6) * NS_PER_S;
}
