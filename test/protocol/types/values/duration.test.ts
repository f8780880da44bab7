import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../src/protocol/errors/index.js';
import { Duration } from '../../../../src/protocol/types/index.js';

describe('Duration', () => {
  it('prints as Cassandra Duration.toString: y, mo, d, h, m, s, ms, us, ns, zero units left out', () => {
    expect(new Duration(14, 3, 3723004005006n).toString()).toBe('1y2mo3d1h2m3s4ms5us6ns');
    expect(new Duration(1, 2, 11045006007008n).toString()).toBe('1mo2d3h4m5s6ms7us8ns');
    expect(new Duration(12, 0, 0).toString()).toBe('1y');
    expect(new Duration(0, 25, 0).toString()).toBe('25d'); // Cassandra never prints weeks
    expect(new Duration(0, 0, 10).toString()).toBe('10ns');
  });

  it('prints a leading - for negatives and the empty string for zero, as Cassandra does', () => {
    expect(new Duration(-14, -3, -1n).toString()).toBe('-1y2mo3d1ns');
    expect(new Duration(0, -1, 0).toString()).toBe('-1d');
    expect(new Duration(0, 0, 0).toString()).toBe('');
  });

  it('parses the unit form, ISO 8601 and the ISO alternative form', () => {
    expect(Duration.fromString('1y2mo3w4d5h6m7s8ms9us10ns')).toEqual(new Duration(14, 25, 18367008009010n));
    expect(Duration.fromString('-1MO2D')).toEqual(new Duration(-1, -2, 0));
    expect(Duration.fromString('3µs')).toEqual(new Duration(0, 0, 3000));
    expect(Duration.fromString('P1Y2M3DT4H5M6S')).toEqual(new Duration(14, 3, 14706000000000n));
    expect(Duration.fromString('P2W')).toEqual(new Duration(0, 14, 0));
    expect(Duration.fromString('P0001-02-03T04:05:06')).toEqual(new Duration(14, 3, 14706000000000n));
  });

  it('refuses mixed signs, out-of-range fields and malformed text', () => {
    expect(() => new Duration(1, -1, 0)).toThrow(
      new ArgumentError(
        'Invalid duration (months 1, days -1, nanoseconds 0): months, days and nanoseconds must all be >= 0 or all <= 0',
      ),
    );
    expect(() => new Duration(2 ** 31, 0, 0)).toThrow(ArgumentError);
    expect(() => new Duration(0, 0, 1n << 63n)).toThrow(ArgumentError);
    expect(() => Duration.fromString('1d1y')).toThrow(
      new ArgumentError('"1d1y" is not a duration: units must appear once each, largest first'),
    );
    expect(() => Duration.fromString('1x')).toThrow(ArgumentError);
    expect(() => Duration.fromString('')).toThrow(ArgumentError);
    expect(() => Duration.fromString('P')).toThrow(ArgumentError);
    expect(() => Duration.fromString('2147483648mo')).toThrow(ArgumentError);
  });

  it('compares all three fields', () => {
    expect(new Duration(1, 2, 3n).equals(new Duration(1, 2, 3))).toBe(true);
    expect(new Duration(1, 2, 3n).equals(new Duration(1, 2, 4))).toBe(false);
  });
});
