import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../../src/protocol/errors/index.js';
import { decodeValue, encodeValue } from '../../../src/protocol/types/index.js';
import { parseTimestampText } from '../../../src/protocol/types/timestamp-text.js';

const TIMESTAMP = { kind: 'timestamp' } as const;

describe('ISO-8601 text for a timestamp parameter', () => {
  const accepted: [string, string][] = [
    ['2024-06-01T12:30:00Z', '2024-06-01T12:30:00.000Z'],
    ['2024-06-01T12:30Z', '2024-06-01T12:30:00.000Z'],
    ['2024-06-01t12:30:00.5z', '2024-06-01T12:30:00.500Z'],
    ['2024-06-01T12:30:00.25Z', '2024-06-01T12:30:00.250Z'],
    ['2024-06-01 12:30:00.250+02:00', '2024-06-01T10:30:00.250Z'],
    ['2024-06-01 12:30:00+0200', '2024-06-01T10:30:00.000Z'],
    ['2024-06-01T00:30:00-05', '2024-06-01T05:30:00.000Z'],
    ['2024-02-29T23:59:59.999+00:00', '2024-02-29T23:59:59.999Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
  ];
  for (const [text, iso] of accepted) {
    it(`${text} is ${iso}`, () => {
      expect(new Date(parseTimestampText(text)!).toISOString()).toBe(iso);
      // the bytes sent are those of the Date, and read back as it
      const bytes = encodeValue(TIMESTAMP, text)!;
      expect(bytes).toEqual(encodeValue(TIMESTAMP, new Date(iso)));
      expect((decodeValue(TIMESTAMP, bytes, 0, 8) as Date).toISOString()).toBe(iso);
    });
  }

  const refused: [string, string][] = [
    ['2024-06-01', 'a date alone: UTC for JavaScript, the server zone for Cassandra'],
    ['2024-06-01T12:30:00', 'no zone: the client zone for JavaScript'],
    ['2024-06-01T12:30:00.1234Z', 'more than milliseconds'],
    ['2023-02-29T00:00:00Z', 'a day February 2023 does not have'],
    ['2024-06-01T24:00:00Z', 'hour 24'],
    ['2024-06-01T12:60:00Z', 'minute 60'],
    ['2024-06-01T12:30:00+24:00', 'an offset of 24 hours'],
    ['June 1, 2024', 'free text'],
    ['1717245000000', 'digits'],
    [' 2024-06-01T12:30:00Z', 'leading space'],
  ];
  for (const [text, why] of refused) {
    it(`refuses ${JSON.stringify(text)} (${why}) with an ArgumentError before sending`, () => {
      expect(parseTimestampText(text)).toBeUndefined();
      expect(() => encodeValue(TIMESTAMP, text, { column: 'at' })).toThrow(
        new ArgumentError(
          `Column "at" (timestamp): ${JSON.stringify(text)} is not an ISO-8601 timestamp with a time zone, e.g. "2024-06-01T12:30:00Z", "2024-06-01 12:30:00.250+02:00"`,
        ),
      );
    });
  }
});
