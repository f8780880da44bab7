import { ArgumentError } from '../../errors/cqlwire-error.js';
import { INSPECT_CUSTOM, type InspectStylizer, inspectValue } from './inspect-value.js';

const MIN_DAYS = -0x80000000;
const MAX_DAYS = 0x7fffffff;
const MS_PER_DAY = 86_400_000;
/** JS Date covers ±100,000,000 days around the epoch (ECMA-262 §21.4.1.1). */
const DATE_LIMIT_DAYS = 100_000_000;

/**
 * A CQL `date`: a day number relative to 1970-01-01 in the proleptic Gregorian calendar, with no
 * time zone. The wire form is an unsigned 32-bit count with the epoch at 2^31 (native_protocol_v5.spec §5.5 (date)),
 * so the range is -2^31 .. 2^31-1 days (about ±5.8 million years), much wider than JS `Date`;
 * the calendar arithmetic here is therefore done on day numbers, not through `Date`.
 */
export class LocalDate {
  /** Days since 1970-01-01 (negative before it). */
  readonly days: number;

  constructor(days: number) {
    if (!Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS) {
      throw new ArgumentError(`LocalDate day count ${days} is not an integer in [${MIN_DAYS}, ${MAX_DAYS}]`);
    }
    this.days = days;
  }

  /** From a year (proleptic, 0 = 1 BC), month 1-12 and day 1-31. */
  static of(year: number, month: number, day: number): LocalDate {
    if (
      !Number.isInteger(year) ||
      !Number.isInteger(month) ||
      !Number.isInteger(day) ||
      month < 1 ||
      month > 12 ||
      day < 1 ||
      day > daysInMonth(year, month)
    ) {
      throw new ArgumentError(`${year}-${month}-${day} is not a valid date`);
    }
    return new LocalDate(daysFromCivil(year, month, day));
  }

  /** The UTC calendar day of a `Date`. */
  static fromDate(date: Date): LocalDate {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new ArgumentError('LocalDate.fromDate: invalid Date');
    return new LocalDate(Math.floor(ms / MS_PER_DAY));
  }

  /**
   * Parses `YYYY-MM-DD`, with a `+`/`-` sign and more digits for years outside 0000-9999 (as
   * `toString` prints them). `ArgumentError` otherwise.
   */
  static fromString(text: string): LocalDate {
    const m = /^([+-]?)(\d{4,})-(\d{2})-(\d{2})$/.exec(text.trim());
    if (m === null) throw new ArgumentError(`"${text}" is not a date in the form YYYY-MM-DD`);
    const year = (m[1] === '-' ? -1 : 1) * Number(m[2]);
    const date = LocalDate.tryOf(year, Number(m[3]), Number(m[4]));
    if (date === undefined) throw new ArgumentError(`"${text}" is not a valid date in the range of the CQL date type`);
    return date;
  }

  private static tryOf(year: number, month: number, day: number): LocalDate | undefined {
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
    const days = daysFromCivil(year, month, day);
    return days < MIN_DAYS || days > MAX_DAYS ? undefined : new LocalDate(days);
  }

  /** The proleptic Gregorian year (0 = 1 BC, -1 = 2 BC). */
  get year(): number {
    return civilFromDays(this.days)[0];
  }
  /** 1-12. */
  get month(): number {
    return civilFromDays(this.days)[1];
  }
  /** 1-31. */
  get day(): number {
    return civilFromDays(this.days)[2];
  }

  /** Midnight UTC of this day; `ArgumentError` when the day lies outside what `Date` can hold. */
  toDate(): Date {
    if (this.days < -DATE_LIMIT_DAYS || this.days > DATE_LIMIT_DAYS) {
      throw new ArgumentError(`LocalDate ${this.toString()} is outside the range of a JS Date`);
    }
    return new Date(this.days * MS_PER_DAY);
  }

  equals(other: unknown): boolean {
    return other instanceof LocalDate && other.days === this.days;
  }

  /**
   * `YYYY-MM-DD` as Cassandra prints a date (Java's ISO_LOCAL_DATE): at least four year digits,
   * a `+` before years above 9999 and a `-` before negative years. Every day of the CQL range
   * has such a form, so no raw day count is ever needed.
   */
  toString(): string {
    const [y, mo, d] = civilFromDays(this.days);
    const abs = Math.abs(y);
    const sign = y < 0 ? '-' : abs > 9999 ? '+' : '';
    return `${sign}${String(abs).padStart(4, '0')}-${pad2(mo)}-${pad2(d)}`;
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

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, by counting whole 400-year eras (146097
 * days each) from 0000-03-01 so that the leap day falls at the end of the counted year.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of `daysFromCivil`: [year, month, day]. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}
