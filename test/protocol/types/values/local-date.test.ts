import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../../src/protocol/errors/index.js';
import { LocalDate } from '../../../../src/protocol/types/index.js';

describe('LocalDate', () => {
  it('prints days around the epoch as YYYY-MM-DD', () => {
    expect(new LocalDate(0).toString()).toBe('1970-01-01');
    expect(new LocalDate(-1).toString()).toBe('1969-12-31');
    expect(new LocalDate(19782).toString()).toBe('2024-02-29');
    expect(new LocalDate(-719528).toString()).toBe('0000-01-01');
  });

  it('prints the ends of the CQL range as Java ISO_LOCAL_DATE does (sign beyond four digits)', () => {
    expect(new LocalDate(-0x80000000).toString()).toBe('-5877641-06-23');
    expect(new LocalDate(0x7fffffff).toString()).toBe('+5881580-07-11');
    expect(new LocalDate(-719529).toString()).toBe('-0001-12-31');
    expect(new LocalDate(2932897).toString()).toBe('+10000-01-01');
  });

  it('parses what it prints, across the whole range', () => {
    for (const d of [-0x80000000, -719529, -1, 0, 59, 60, 19782, 2932896, 2932897, 0x7fffffff]) {
      expect(LocalDate.fromString(new LocalDate(d).toString()).days).toBe(d);
    }
  });

  it('gives year, month and day, and converts to and from Date', () => {
    const d = LocalDate.of(2024, 2, 29);
    expect([d.days, d.year, d.month, d.day]).toEqual([19782, 2024, 2, 29]);
    expect(d.toDate().toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(LocalDate.fromDate(new Date('1969-12-31T23:59:59.999Z')).days).toBe(-1);
    expect(d.equals(new LocalDate(19782))).toBe(true);
    expect(d.equals(new LocalDate(19783))).toBe(false);
  });

  it('refuses bad input with ArgumentError', () => {
    expect(() => new LocalDate(0x80000000)).toThrow(
      new ArgumentError('LocalDate day count 2147483648 is not an integer in [-2147483648, 2147483647]'),
    );
    expect(() => new LocalDate(1.5)).toThrow(ArgumentError);
    expect(() => LocalDate.fromString('2023-02-29')).toThrow(
      new ArgumentError('"2023-02-29" is not a valid date in the range of the CQL date type'),
    );
    expect(() => LocalDate.fromString('2023-2-1')).toThrow(
      new ArgumentError('"2023-2-1" is not a date in the form YYYY-MM-DD'),
    );
    expect(() => LocalDate.fromString('+5881580-07-12')).toThrow(ArgumentError);
    expect(() => new LocalDate(0x7fffffff).toDate()).toThrow(ArgumentError);
  });
});
