/** The largest distance from the epoch, in milliseconds, that a JavaScript `Date` can hold (ECMA-262 §21.4.1.1). */
export const MAX_DATE_MS = 8_640_000_000_000_000;

const MS_PER_DAY = 86_400_000n;

/**
 * A CQL `timestamp` outside what a JavaScript `Date` can hold (more than 8.64e15 ms, about 273,790
 * years, from the epoch). A timestamp is a signed 64-bit count of milliseconds, so Cassandra can
 * store such values (it writes one itself in system_schema.dropped_columns). Decoding never throws:
 * such a cell comes back as this `Date` subclass, which keeps the exact milliseconds in
 * `milliseconds` (a bigint). As a `Date` it is invalid (`getTime()` is `NaN`), but `toISOString()`,
 * `toJSON()` and `toString()` print the instant in expanded ISO-8601 (`+294247-01-10T04:00:54.775Z`)
 * instead of throwing, and binding it to a timestamp writes the same 64-bit value back.
 */
export class OutOfRangeDate extends Date {
  /** Milliseconds since 1970-01-01T00:00:00Z, exact. */
  readonly milliseconds: bigint;

  constructor(milliseconds: bigint) {
    super(Number.NaN);
    this.milliseconds = milliseconds;
  }

  /** The timestamp `ms`: a plain `Date` when one can hold it, else an `OutOfRangeDate`. */
  static fromMilliseconds(ms: bigint): Date {
    return ms >= -MAX_DATE_MS && ms <= MAX_DATE_MS ? new Date(Number(ms)) : new OutOfRangeDate(ms);
  }

  /** Expanded ISO-8601, UTC, millisecond precision: a sign and at least six year digits. */
  override toISOString(): string {
    let days = this.milliseconds / MS_PER_DAY;
    let msOfDay = this.milliseconds - days * MS_PER_DAY;
    if (msOfDay < 0n) {
      msOfDay += MS_PER_DAY;
      days -= 1n;
    }
    const { year, month, day } = civilFromDays(Number(days));
    const ms = Number(msOfDay);
    const yearText = `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
    const time = `${pad2(Math.floor(ms / 3_600_000))}:${pad2(Math.floor(ms / 60_000) % 60)}:${pad2(Math.floor(ms / 1000) % 60)}.${String(ms % 1000).padStart(3, '0')}`;
    return `${yearText}-${pad2(month)}-${pad2(day)}T${time}Z`;
  }

  override toJSON(): string {
    return this.toISOString();
  }

  override toString(): string {
    return this.toISOString();
  }

  /** How `util.inspect` / `console.log` show it. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `OutOfRangeDate(${this.toISOString()})`;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Days since 1970-01-01 -> proleptic Gregorian year, month, day (the 400-year-era method; exact
 * for every day count a 64-bit millisecond timestamp reaches, all well under 2^53).
 */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}
