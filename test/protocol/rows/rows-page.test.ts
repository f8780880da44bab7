import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ProtocolError } from '../../../src/protocol/errors/index.js';
import { PrimitiveWriter } from '../../../src/protocol/primitives/index.js';
import type { RowColumn } from '../../../src/protocol/rows/index.js';
import { decodeRowsPage, type Row, RowsShape } from '../../../src/protocol/rows/index.js';
import { runTsxScript } from '../../support/run-tsx-script.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const intText: RowColumn[] = [
  { keyspace: 'ks', table: 't', name: 'k', type: { kind: 'int' } },
  { keyspace: 'ks', table: 't', name: 'v', type: { kind: 'text' } },
];

describe('RowsPage over the NO_METADATA rows content of a framed v5 RESULT (native_protocol_v5.spec §4.2.5.2)', () => {
  // rows_content after <flags 0x0004><columns_count 2><rows_count 2>:
  const content = hex(
    `
    00000004 00000001   -- row 1, k: [bytes] len 4, int 1
    00000000            -- row 1, v: [bytes] len 0 (empty, not null)
    00000004 00000002   -- row 2, k: int 2
    00000001 78         -- row 2, v: 'x'
  `.replace(/--[^\n]*/g, ''),
  );

  it('decodes each cell from its offset, telling empty from null', () => {
    const page = decodeRowsPage(new RowsShape(intText), content, 0, content.length, 2);
    expect(page.length).toBe(2);
    expect(page.row(0).get('k')).toBe(1);
    expect(page.row(0).get('v')).toBe('');
    expect(page.row(1).get(1)).toBe('x');
    expect(page.rows.map((r) => r.toObject())).toEqual([
      { k: 1, v: '' },
      { k: 2, v: 'x' },
    ]);
  });

  it('keeps the page buffer: no cell is copied', () => {
    const page = decodeRowsPage(new RowsShape(intText), content, 0, content.length, 2);
    expect(page.buffer).toBe(content);
  });
});

describe('Row', () => {
  const w = new PrimitiveWriter();
  w.int(4).int(7).bytes(Buffer.from('seven')).int(-1); // row 0: id 7, name 'seven', get = null
  w.int(4).int(8).int(-1).int(4).int(80); // row 1: id 8, name null, get = 80
  const content = w.finishCopy();
  const cols: RowColumn[] = [
    { name: 'id', type: { kind: 'int' } },
    { name: 'name', type: { kind: 'text' } },
    { name: 'get', type: { kind: 'int' } },
  ];
  const page = decodeRowsPage(new RowsShape(cols), content, 0, content.length, 2);

  it('exposes columns as properties, except names that would shadow a method', () => {
    const row = page.row(0) as Row & { id: number; name: string };
    expect(row.id).toBe(7);
    expect(row.name).toBe('seven');
    expect(typeof row.get).toBe('function');
    expect(row.get('get')).toBe(null);
    expect(page.row(1).get('get')).toBe(80);
    expect(page.row(1).get('name')).toBe(null);
  });

  it('lists keys and values in column order', () => {
    expect(page.row(1).keys()).toEqual(['id', 'name', 'get']);
    expect(page.row(1).values()).toEqual([8, null, 80]);
  });

  it('finds columns case-insensitively after an exact miss', () => {
    expect(page.row(0).get('ID')).toBe(7);
  });

  it('prints and serialises as its columns', () => {
    expect(JSON.stringify(page.row(0))).toBe('{"id":7,"name":"seven","get":null}');
    expect(inspect(page.row(0))).toBe("Row { id: 7, name: 'seven', get: null }");
  });

  it('rejects unknown names and out-of-range indexes with ArgumentError', () => {
    expect(() => page.row(0).get('nope')).toThrow(ArgumentError);
    expect(() => page.row(0).get(3)).toThrow(/Column index 3 is out of range: the row has 3 columns/);
    expect(() => page.row(2)).toThrow(/Row index 2 is out of range: the page has 2 rows/);
  });

  it('iterates the same rows as `rows`', () => {
    expect([...page].map((r) => r.get(0))).toEqual([7, 8]);
    expect(page.rows.map((r) => r.get(0))).toEqual([7, 8]);
    expect([...page].map((r) => r.get(0))).toEqual([7, 8]);
  });
});

describe('bad rows content', () => {
  const shape = new RowsShape(intText);
  it('a rows_count larger than the bytes can hold fails before allocating', () => {
    const content = hex('00000004 00000001');
    expect(() => decodeRowsPage(shape, content, 0, content.length, 0x7fffffff)).toThrow(ProtocolError);
  });
  it('a cell length past the end is a ProtocolError', () => {
    const content = hex('00000004 00000001 00000010 41');
    expect(() => decodeRowsPage(shape, content, 0, content.length, 1)).toThrow(
      /Truncated RESULT Rows: cell 1 declares 16 bytes/,
    );
  });
  it('a missing cell is a ProtocolError', () => {
    const content = hex('00000004 00000001 00000001 41');
    expect(() => decodeRowsPage(shape, content, 0, content.length, 2)).toThrow(ProtocolError);
  });
  it('a negative rows_count is a ProtocolError', () => {
    expect(() => decodeRowsPage(shape, Buffer.alloc(0), 0, 0, -1)).toThrow(ProtocolError);
  });
});

describe('rows without columns', () => {
  it('a page of 0 columns and 0 rows is empty', () => {
    expect(decodeRowsPage(new RowsShape([]), Buffer.alloc(0), 0, 0, 0).length).toBe(0);
  });
  it('a page of 0 columns declaring rows is a ProtocolError (no page of 2^31-1 rows from 4 bytes)', () => {
    expect(() => decodeRowsPage(new RowsShape([]), Buffer.alloc(0), 0, 0, 0x7fffffff)).toThrow(
      /declares 2147483647 rows but no columns/,
    );
  });
});

describe('Row getters', () => {
  it('are compiled per column: a page read through them gives what cell() gives', () => {
    const shape = new RowsShape([
      { name: 'id', type: { kind: 'int' } },
      { name: 'name', type: { kind: 'text' } },
    ]);
    const bytes = new PrimitiveWriter(64).int(4).int(7).int(3).raw(Buffer.from('abc')).int(4).int(8).int(-1).finish();
    const page = decodeRowsPage(shape, bytes, 0, bytes.length, 2);
    const rows = page.rows as unknown as { id: number; name: string | null }[];
    expect(rows.map((r) => [r.id, r.name])).toEqual([
      [7, 'abc'],
      [8, null],
    ]);
    expect(rows.map((_, i) => [page.cell(i, 0), page.cell(i, 1)])).toEqual([
      [7, 'abc'],
      [8, null],
    ]);
  });

  it('fall back to the shared path where code generation from strings is disallowed', async () => {
    const run = await runTsxScript('test/protocol/rows/scripts/rows-without-codegen.ts', [], 30_000, [
      '--disallow-code-generation-from-strings',
    ]);
    expect(run.code, run.out).toBe(0);
    expect(JSON.parse(run.out.trim().split('\n').pop()!)).toEqual({
      codegenBlocked: true,
      values: [
        [7, 'abc'],
        [8, null],
      ],
    });
  });
});
