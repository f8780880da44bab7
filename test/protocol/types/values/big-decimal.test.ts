import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../src/protocol/errors/index.js';
import { BigDecimal } from '../../../../src/protocol/types/index.js';

describe('BigDecimal', () => {
  it('prints exactly as Java BigDecimal.toString()', () => {
    const cases: [bigint, number, string][] = [
      [12345n, 2, '123.45'],
      [-1n, 3, '-0.001'],
      [-123456789n, 4, '-12345.6789'],
      [0n, 0, '0'],
      [0n, 2, '0.00'],
      [0n, -2, '0E+2'],
      [1n, -3, '1E+3'],
      [123n, -1, '1.23E+3'],
      [1n, 6, '0.000001'],
      [1n, 7, '1E-7'],
      [123n, 12, '1.23E-10'],
      [-5n, 10, '-5E-10'],
      [123456789n, 0, '123456789'],
      [10n, 1, '1.0'],
    ];
    for (const [u, s, text] of cases) expect(new BigDecimal(u, s).toString()).toBe(text);
  });

  it('parses Java decimal strings into unscaled and scale', () => {
    const cases: [string, bigint, number][] = [
      ['123.45', 12345n, 2],
      ['-0.001', -1n, 3],
      ['1E+3', 1n, -3],
      ['12e-2', 12n, 2],
      ['.5', 5n, 1],
      ['5.', 5n, 0],
      ['+7', 7n, 0],
      ['1.50', 150n, 2],
    ];
    for (const [text, u, s] of cases) {
      const d = BigDecimal.fromString(text);
      expect([d.unscaled, d.scale]).toEqual([u, s]);
    }
    expect(BigDecimal.fromNumber(0.1).toString()).toBe('0.1');
    expect(BigDecimal.fromNumber(1e21).toString()).toBe('1E+21');
  });

  it('equals compares unscaled and scale, like Java', () => {
    expect(BigDecimal.fromString('1.0').equals(new BigDecimal(10n, 1))).toBe(true);
    expect(BigDecimal.fromString('1.0').equals(BigDecimal.fromString('1.00'))).toBe(false);
  });

  it('refuses malformed text and scales outside int32', () => {
    expect(() => BigDecimal.fromString('1.2.3')).toThrow(new ArgumentError('"1.2.3" is not a decimal number'));
    expect(() => BigDecimal.fromString('.')).toThrow(ArgumentError);
    expect(() => BigDecimal.fromString('1e2147483649')).toThrow(ArgumentError);
    expect(() => new BigDecimal(1n, 2 ** 31)).toThrow(ArgumentError);
    expect(() => BigDecimal.fromNumber(NaN)).toThrow(ArgumentError);
  });
});
