import { ArgumentError } from '../../errors/cqlwire-error.js';
import { INSPECT_CUSTOM, type InspectStylizer, inspectValue } from './inspect-value.js';

/** Nanoseconds in a day; a CQL time is 0 .. NANOS_PER_DAY - 1 (native_protocol_v5.spec §5.17 (time)). */
const NANOS_PER_DAY = 86_400_000_000_000;

/**
 * A CQL `time`: nanoseconds since midnight, 0 .. 86 399 999 999 999, no time zone. The count fits
 * a double exactly (it is below 2^53), so it is kept as a number.
 */
export class LocalTime {
  /** Nanoseconds since midnight. */
  readonly nanoOfDay: number;

  constructor(nanoOfDay: number | bigint) {
    const n = typeof nanoOfDay === 'bigint' ? Number(nanoOfDay) : nanoOfDay;
    if (
      !Number.isInteger(n) ||
      n < 0 ||
      n >= NANOS_PER_DAY ||
      (typeof nanoOfDay === 'bigint' && BigInt(n) !== nanoOfDay)
    ) {
      throw new ArgumentError(`LocalTime ${String(nanoOfDay)} ns is not in [0, ${NANOS_PER_DAY - 1}]`);
    }
    this.nanoOfDay = n;
  }

  static of(hour: number, minute: number, second = 0, nanosecond = 0): LocalTime {
    if (
      !Number.isInteger(hour) ||
      !Number.isInteger(minute) ||
      !Number.isInteger(second) ||
      !Number.isInteger(nanosecond) ||
      hour < 0 ||
      hour > 23 ||
      minute < 0 ||
      minute > 59 ||
      second < 0 ||
      second > 59 ||
      nanosecond < 0 ||
      nanosecond > 999_999_999
    ) {
      throw new ArgumentError(`LocalTime.of(${hour}, ${minute}, ${second}, ${nanosecond}): a field is out of range`);
    }
    return new LocalTime(((hour * 60 + minute) * 60 + second) * 1e9 + nanosecond);
  }

  /** Parses `HH:MM[:SS[.f]]` with 1 to 9 fraction digits, as CQL accepts a time literal. */
  static fromString(text: string): LocalTime {
    const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text.trim());
    if (m === null) throw new ArgumentError(`"${text}" is not a time in the form HH:MM:SS.fffffffff`);
    return LocalTime.of(
      Number(m[1]),
      Number(m[2]),
      m[3] === undefined ? 0 : Number(m[3]),
      m[4] === undefined ? 0 : Number(m[4].padEnd(9, '0')),
    );
  }

  get hour(): number {
    return Math.floor(this.nanoOfDay / 3_600_000_000_000);
  }
  get minute(): number {
    return Math.floor(this.nanoOfDay / 60_000_000_000) % 60;
  }
  get second(): number {
    return Math.floor(this.nanoOfDay / 1e9) % 60;
  }
  get nanosecond(): number {
    return this.nanoOfDay % 1e9;
  }

  equals(other: unknown): boolean {
    return other instanceof LocalTime && other.nanoOfDay === this.nanoOfDay;
  }

  /** `HH:MM:SS.nnnnnnnnn`, always nine fraction digits, as Cassandra prints a time. */
  toString(): string {
    return `${pad(this.hour, 2)}:${pad(this.minute, 2)}:${pad(this.second, 2)}.${pad(this.nanosecond, 9)}`;
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

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
