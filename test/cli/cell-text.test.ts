import { describe, expect, it } from 'vitest';
import { cellTextOf } from '../../src/cli/cell-text.js';
import { escapeControls, formatExpanded, formatTable } from '../../src/cli/result-table.js';
import type { UdtType } from '../../src/protocol/types/index.js';
import { Duration, InetAddress, LocalDate, parseCqlTypeString, Uuid } from '../../src/protocol/types/index.js';

const addr: UdtType = {
  kind: 'udt',
  keyspace: 'ks',
  name: 'addr',
  fields: [
    { name: 'street', type: { kind: 'text' } },
    { name: 'zip', type: { kind: 'int' } },
  ],
};
const text = (type: string, value: unknown): string =>
  cellTextOf(parseCqlTypeString(type, (n) => (n === 'addr' ? addr : undefined)))(value);

describe('cellTextOf: values as cqlsh shows them', () => {
  it.each([
    ['text', 'plain', 'plain'],
    ['int', null, 'null'],
    ['boolean', true, 'True'],
    ['boolean', false, 'False'],
    ['bigint', 12n, '12'],
    ['blob', Buffer.from([0xca, 0xfe]), '0xcafe'],
    ['timestamp', new Date(Date.UTC(2024, 0, 31, 12, 0, 0, 5)), '2024-01-31 12:00:00.005000+0000'],
    ['date', LocalDate.of(2024, 1, 31), '2024-01-31'],
    ['uuid', Uuid.fromString('1b4e28ba-2fa1-11d2-883f-0016d3cca427'), '1b4e28ba-2fa1-11d2-883f-0016d3cca427'],
    ['list<text>', ['a', "it's"], "['a', 'it''s']"],
    ['set<int>', new Set([1, 2]), '{1, 2}'],
    ['map<text, inet>', new Map([['k', InetAddress.fromString('::1')]]), "{'k': '::1'}"],
    ['map<text, int>', { a: 1, b: 2 }, "{'a': 1, 'b': 2}"],
    ['tuple<int, duration, text>', [1, Duration.fromString('1h'), null], "(1, '1h', null)"],
    ['frozen<addr>', { street: 'Main', zip: 75001 }, "{street: 'Main', zip: 75001}"],
    ['vector<float, 2>', new Float32Array([1, 2.5]), '[1, 2.5]'],
  ])('%s %s -> %s', (type, value, shown) => {
    expect(text(type, value)).toBe(shown);
  });
});

describe('result tables', () => {
  it('names left-aligned, values right-aligned, a -+- rule, control characters escaped', () => {
    expect(formatTable(['id', 'name'], [['1', escapeControls('a\nb\tc')]])).toBe(
      '\n id | name\n----+---------\n  1 | a\\nb\\tc\n',
    );
  });

  it('expanded: one block per row, numbered from the given row', () => {
    expect(formatExpanded(['id', 'name'], [['1', 'ann']], 3)).toBe('\n@ Row 3\n------+-----\n id   | 1\n name | ann\n');
  });
});
