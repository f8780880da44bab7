import { describe, expect, it } from 'vitest';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import type { PreparedResult } from '../../src/protocol/messages/index.js';
import { UNSET } from '../../src/protocol/primitives/index.js';
import { InetAddress, LocalDate, Uuid } from '../../src/protocol/types/index.js';
import { bindPrepared, bindUnprepared } from '../../src/session/bound-params.js';
import { inferType, PreparedStatement } from '../../src/session/index.js';

function prepared(
  columns: [string, PreparedResult['metadata']['columns'][number]['type']][],
  pkIndexes: number[],
): PreparedStatement {
  return new PreparedStatement(
    'Q',
    'ks',
    {
      opcode: Opcode.RESULT,
      kind: 'prepared',
      id: Buffer.from('01', 'hex'),
      metadata: { columns: columns.map(([name, type]) => ({ keyspace: 'ks', table: 't', name, type })), pkIndexes },
      resultMetadata: { columnCount: 0 },
    },
    false,
    {},
  );
}

describe('bindPrepared', () => {
  const stmt = prepared(
    [
      ['a', { kind: 'int' }],
      ['b', { kind: 'text' }],
      ['c', { kind: 'bigint' }],
    ],
    [2, 0],
  );

  it('encodes by the bind variables, positional or by name (case-insensitively), undefined as not set', () => {
    const byPosition = bindPrepared(stmt, [1, 'x', 2n], 5);
    expect(byPosition.values).toEqual([
      Buffer.from('00000001', 'hex'),
      Buffer.from('x'),
      Buffer.from('0000000000000002', 'hex'),
    ]);
    const byName = bindPrepared(stmt, { C: 2n, a: 1, b: undefined }, 5);
    expect(byName.values).toEqual([Buffer.from('00000001', 'hex'), UNSET, Buffer.from('0000000000000002', 'hex')]);
    expect(bindPrepared(stmt, [1, null, 2n], 3).values![1]).toBeNull();
  });

  it('builds the composite routing key in partition-key order (pk indexes [2, 0])', () => {
    const { routingKey } = bindPrepared(stmt, [1, 'x', 2n], 5);
    // c: length 8, bytes, end-of-component 0; then a: length 4, bytes, 0
    expect(routingKey?.toString('hex')).toBe('0008' + '0000000000000002' + '00' + '0004' + '00000001' + '00');
    expect(bindPrepared(stmt, [null, 'x', 2n], 5).routingKey).toBeUndefined();
    const single = prepared([['k', { kind: 'int' }]], [0]);
    expect(bindPrepared(single, [7], 5).routingKey?.toString('hex')).toBe('00000007');
  });

  it('refuses a non-array non-object, and no params for a statement with markers', () => {
    expect(() => bindPrepared(stmt, 5, 5)).toThrow(
      'Parameters must be an array (positional) or a plain object (named), got number',
    );
    expect(() => bindPrepared(stmt, undefined, 5)).toThrow(ArgumentError);
  });
});

describe('bindUnprepared and inferType', () => {
  it('infers types as cassandra-driver does, hints override, names are kept', () => {
    expect(inferType(1, 0)).toEqual({ kind: 'double' });
    expect(inferType('s', 0)).toEqual({ kind: 'text' });
    expect(inferType(true, 0)).toEqual({ kind: 'boolean' });
    expect(inferType(1n, 0)).toEqual({ kind: 'bigint' });
    expect(inferType(Buffer.alloc(1), 0)).toEqual({ kind: 'blob' });
    expect(inferType(new Date(0), 0)).toEqual({ kind: 'timestamp' });
    expect(inferType(Uuid.random(), 0)).toEqual({ kind: 'uuid' });
    expect(inferType(InetAddress.fromString('::1'), 0)).toEqual({ kind: 'inet' });
    expect(inferType(LocalDate.of(2024, 1, 2), 0)).toEqual({ kind: 'date' });
    expect(inferType(['a'], 0)).toEqual({ kind: 'list', element: { kind: 'text' } });
    expect(inferType(new Set([1]), 0)).toEqual({ kind: 'set', element: { kind: 'double' } });
    expect(inferType(new Map([['k', 2n]]), 0)).toEqual({
      kind: 'map',
      key: { kind: 'text' },
      value: { kind: 'bigint' },
    });
    expect(() => inferType([], 3)).toThrow('Parameter 3: cannot tell the element type of an empty collection');
    const b = bindUnprepared('SELECT * FROM t WHERE a = ? AND b = ?', [1, 2], ['int'], 5);
    expect(b.values).toEqual([Buffer.from('00000001', 'hex'), Buffer.from('4000000000000000', 'hex')]);
    const named = bindUnprepared('SELECT * FROM t WHERE a = :a', { a: 3 }, { a: 'smallint' }, 5);
    expect(named.names).toEqual(['a']);
    expect(named.values).toEqual([Buffer.from('0003', 'hex')]);
    expect(() => bindUnprepared('SELECT ?', [1], ['notatype'], 5)).toThrow(
      "Hint for parameter 0: 'notatype' is not a CQL type",
    );
  });
});
