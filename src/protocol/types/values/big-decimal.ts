import { ArgumentError } from '../../errors/cqlwire-error.js';
import { INSPECT_CUSTOM, type InspectStylizer, inspectValue } from './inspect-value.js';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/**
 * A CQL `decimal`: an arbitrary-precision unscaled integer and a 32-bit scale, value =
 * unscaled × 10^-scale (native_protocol_v5.spec §5.6 (decimal)), exactly like Java's `BigDecimal`. Equality, as in
 * Java, includes the scale: 1.0 and 1.00 are different values.
 */
export class BigDecimal {
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(unscaled: bigint, scale: number) {
    if (!Number.isInteger(scale) || scale < INT32_MIN || scale > INT32_MAX) {
      throw new ArgumentError(`BigDecimal scale ${scale} is not an int32`);
    }
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /**
   * Parses the forms Java's `new BigDecimal(String)` accepts: an optional sign, digits with an
   * optional `.`, and an optional exponent (`1.5E+3`, `-0.001`, `12e-2`). The scale is the number
   * of fraction digits minus the exponent. `ArgumentError` otherwise.
   */
  static fromString(text: string): BigDecimal {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (m === null || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
      throw new ArgumentError(`"${text}" is not a decimal number`);
    }
    const fraction = m[3] ?? '';
    const unscaled = BigInt(`${m[1] === '-' ? '-' : ''}${m[2]}${fraction}`);
    const scale = fraction.length - (m[4] === undefined ? 0 : Number(m[4]));
    if (!Number.isSafeInteger(scale) || scale < INT32_MIN || scale > INT32_MAX) {
      throw new ArgumentError(`"${text}" has a scale outside the int32 range`);
    }
    return new BigDecimal(unscaled, scale);
  }

  /**
   * The exact decimal value of a finite JS number, in its shortest round-tripping form
   * (`0.1` -> unscaled 1, scale 1), as `String(n)` prints it.
   */
  static fromNumber(n: number): BigDecimal {
    if (!Number.isFinite(n)) throw new ArgumentError(`${n} cannot be a decimal`);
    return BigDecimal.fromString(String(n));
  }

  /** The nearest double. */
  toNumber(): number {
    return Number(this.toString());
  }

  equals(other: unknown): boolean {
    return other instanceof BigDecimal && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  /**
   * Exactly Java's `BigDecimal.toString()`: with adjusted exponent = -scale + (digits - 1), plain
   * notation when scale >= 0 and the adjusted exponent >= -6, otherwise scientific notation with
   * one digit before the point and `E+n`/`E-n`.
   */
  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    const sign = negative ? '-' : '';
    if (this.scale === 0) return sign + digits;
    const adjusted = -this.scale + (digits.length - 1);
    if (this.scale > 0 && adjusted >= -6) {
      const point = digits.length - this.scale;
      if (point > 0) return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
      return `${sign}0.${'0'.repeat(-point)}${digits}`;
    }
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
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
