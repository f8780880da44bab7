import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv-parser.js';

describe('the strict RFC 4180 test parser', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, null vs ""', () => {
    expect(parseCsv('a,"b,c","say ""x""\r\ny",,""\r\n')).toEqual([['a', 'b,c', 'say "x"\r\ny', null, '']]);
  });
  it('rejects a bare LF record end, a stray quote and a missing final CRLF', () => {
    expect(() => parseCsv('a\n')).toThrow('unexpected "\\n"');
    expect(() => parseCsv('a"b\r\n')).toThrow('quote inside an unquoted field');
    expect(() => parseCsv('a')).toThrow('does not end with CRLF');
  });
});
