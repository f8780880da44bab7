import { describe, expect, it } from 'vitest';
import { CsvEncoder, csvField } from '../../src/cli/csv-encoder.js';
import type { DataType } from '../../src/index.js';
import { BigDecimal, Duration, InetAddress, LocalDate, LocalTime, Uuid } from '../../src/index.js';

const col = (name: string, type: DataType) => ({ name, type });
const text: DataType = { kind: 'text' };
const int: DataType = { kind: 'int' };

describe('csvField (RFC 4180 quoting)', () => {
  it('leaves plain text unquoted', () => {
    expect(csvField('hello world')).toBe('hello world');
  });
  it('quotes a field with a comma', () => {
    expect(csvField('a,b')).toBe('"a,b"');
  });
  it('quotes a field with a double quote and doubles the quote', () => {
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });
  it('quotes a field with LF, with CR, and with CRLF', () => {
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
  });
  it('writes the empty string as "" so it differs from null', () => {
    expect(csvField('')).toBe('""');
  });
  it('passes non-ASCII through unquoted', () => {
    expect(csvField('Zoë 日本 🚀')).toBe('Zoë 日本 🚀');
  });
});

describe('CsvEncoder', () => {
  it('writes a header row of the column names, quoting a name that needs it, CRLF-terminated', () => {
    const e = new CsvEncoder([col('id', int), col('a,b', text)]);
    expect(e.header()).toBe('id,"a,b"\r\n');
  });

  it('writes null as an empty unquoted field and the empty string as ""', () => {
    const e = new CsvEncoder([col('a', text), col('b', text), col('c', int)]);
    expect(e.values([null, '', null])).toBe(',"",\r\n');
  });

  it('writes null as --null-text when given, quoting it when it needs quotes', () => {
    expect(new CsvEncoder([col('a', text), col('b', text)], { nullText: 'NULL' }).values([null, ''])).toBe(
      'NULL,""\r\n',
    );
    expect(new CsvEncoder([col('a', text)], { nullText: 'n,a' }).values([null])).toBe('"n,a"\r\n');
  });

  it('writes scalars as their canonical strings', () => {
    const types: [string, DataType, unknown, string][] = [
      ['int', { kind: 'int' }, -42, '-42'],
      ['double', { kind: 'double' }, 0.1, '0.1'],
      ['float NaN', { kind: 'float' }, Number.NaN, 'NaN'],
      ['bigint', { kind: 'bigint' }, -9223372036854775808n, '-9223372036854775808'],
      ['varint', { kind: 'varint' }, 123456789012345678901234567890n, '123456789012345678901234567890'],
      ['boolean', { kind: 'boolean' }, false, 'false'],
      ['timestamp', { kind: 'timestamp' }, new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 7)), '2024-02-29T23:59:58.007Z'],
      ['blob', { kind: 'blob' }, Buffer.from([0x00, 0xca, 0xfe]), '0x00cafe'],
      ['empty blob', { kind: 'blob' }, Buffer.alloc(0), '0x'],
      [
        'uuid',
        { kind: 'uuid' },
        Uuid.fromString('0A6B6C2D-1E2F-4A5B-8C9D-0E1F2A3B4C5D'),
        '0a6b6c2d-1e2f-4a5b-8c9d-0e1f2a3b4c5d',
      ],
      ['inet', { kind: 'inet' }, InetAddress.fromString('::1'), '::1'],
      ['date', { kind: 'date' }, LocalDate.of(2024, 3, 1), '2024-03-01'],
      ['time', { kind: 'time' }, LocalTime.of(13, 5, 7, 9), '13:05:07.000000009'],
      ['decimal', { kind: 'decimal' }, BigDecimal.fromString('-1.50'), '-1.50'],
      ['duration', { kind: 'duration' }, new Duration(14, 3, 5_000_000_000n), '1y2mo3d5s'],
    ];
    for (const [name, type, value, expected] of types) {
      expect(new CsvEncoder([col(name, type)]).values([value]), name).toBe(`${expected}\r\n`);
    }
  });

  it('writes text with quotes, commas, newlines, CR and non-ASCII so each stays one field', () => {
    const e = new CsvEncoder([col('id', int), col('t', text)]);
    expect(e.values([1, 'He said "no", then\r\nleft\r'])).toBe('1,"He said ""no"", then\r\nleft\r"\r\n');
    expect(e.values([2, 'naïve café – 東京'])).toBe('2,naïve café – 東京\r\n');
  });

  it('writes collections, tuples and UDTs as JSON (quoted, since JSON holds quotes and commas)', () => {
    const e = new CsvEncoder([
      col('l', { kind: 'list', element: text }),
      col('s', { kind: 'set', element: int }),
      col('m', { kind: 'map', key: text, value: { kind: 'bigint' } }),
      col('t', { kind: 'tuple', elements: [int, { kind: 'blob' }, text] }),
      col('u', {
        kind: 'udt',
        keyspace: 'ks',
        name: 'addr',
        fields: [
          { name: 'street', type: text },
          { name: 'zip', type: int },
        ],
      }),
    ]);
    const line = e.values([
      ['a', 'b"c', null],
      new Set([3, 1]),
      new Map([['k', 10n]]),
      [7, Buffer.from([0xff]), 'x'],
      { street: 'Rue, 1', zip: null },
    ]);
    expect(line).toBe(
      '"[""a"",""b\\""c"",null]",' +
        '"[3,1]",' +
        '"{""k"":""10""}",' +
        '"[7,""0xff"",""x""]",' +
        '"{""street"":""Rue, 1"",""zip"":null}"\r\n',
    );
  });

  it('writes an empty collection as JSON, not as null', () => {
    const e = new CsvEncoder([
      col('l', { kind: 'list', element: int }),
      col('m', { kind: 'map', key: int, value: text }),
    ]);
    expect(e.values([[], new Map()])).toBe('[],{}\r\n');
  });

  it('keys a map with non-text keys by their canonical text', () => {
    const e = new CsvEncoder([col('m', { kind: 'map', key: { kind: 'date' }, value: { kind: 'double' } })]);
    expect(e.values([new Map([[LocalDate.of(2024, 1, 2), 1.5]])])).toBe('"{""2024-01-02"":1.5}"\r\n');
  });

  it('encodes rows straight from a page-like cell source, in row order', () => {
    const cells = [
      [1, 'a'],
      [2, null],
      [3, ''],
    ];
    const source = { length: 3, cell: (r: number, c: number) => cells[r]![c] };
    const e = new CsvEncoder([col('id', int), col('t', text)]);
    expect(e.rows(source)).toBe('1,a\r\n2,\r\n3,""\r\n');
    expect(e.rows(source, 1, 2)).toBe('2,\r\n');
  });
});
