import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../src/protocol/errors/index.js';
import { LocalTime } from '../../../../src/protocol/types/index.js';

describe('LocalTime', () => {
  it('prints HH:MM:SS.nnnnnnnnn with nine fraction digits', () => {
    expect(new LocalTime(0).toString()).toBe('00:00:00.000000000');
    expect(new LocalTime(49530123456789).toString()).toBe('13:45:30.123456789');
    expect(new LocalTime(86399999999999n).toString()).toBe('23:59:59.999999999');
  });

  it('parses times with 0 to 9 fraction digits', () => {
    expect(LocalTime.fromString('12:34:56.789').nanoOfDay).toBe(45296789000000);
    expect(LocalTime.fromString('13:45:30.123456789').nanoOfDay).toBe(49530123456789);
    expect(LocalTime.fromString('01:02').nanoOfDay).toBe(3720000000000);
    expect(LocalTime.of(1, 2, 3, 4).toString()).toBe('01:02:03.000000004');
  });

  it('refuses out-of-range values with ArgumentError', () => {
    expect(() => new LocalTime(86400000000000)).toThrow(
      new ArgumentError('LocalTime 86400000000000 ns is not in [0, 86399999999999]'),
    );
    expect(() => new LocalTime(-1)).toThrow(ArgumentError);
    expect(() => LocalTime.fromString('24:00:00')).toThrow(ArgumentError);
    expect(() => LocalTime.fromString('12:00:00.1234567890')).toThrow(ArgumentError);
  });
});
