import { describe, expect, it } from 'vitest';
import { murmur3Token, serializePartitionKey } from '../../../src/protocol/token/index.js';
import { Database } from '../../../src/server/execution/index.js';
import { comparatorFor } from '../../../src/server/store/index.js';
import { bigint, CREATE_KS, decodeRows, int } from '../execution/rows.js';

function db(): Database {
  const d = new Database();
  d.execute(CREATE_KS);
  return d;
}

describe('row order', () => {
  it('partitions come in token order whatever the insertion order', () => {
    const d = db();
    d.execute('CREATE TABLE ks.t (k int PRIMARY KEY, v int)');
    for (const k of [9, 3, 7, 0, 5, 1, 8, 2, 6, 4]) d.execute(`INSERT INTO ks.t (k, v) VALUES (${k}, ${k * 10})`);
    const rows = decodeRows(d.execute('SELECT k, token(k) FROM ks.t'));
    // Cassandra's order for int keys 0..9 (tokens from real clusters): 5, 1, 8, 0, 2, 4, 7, 6, 9, 3.
    expect(rows.map((r) => r[0])).toEqual([5, 1, 8, 0, 2, 4, 7, 6, 9, 3]);
    expect(rows[0]![1]).toBe(-7509452495886106294n);
    expect(rows[9]![1]).toBe(9010454139840013625n);
  });

  it('ascending clustering orders signed ints and text by UTF-8 bytes', () => {
    const d = db();
    d.execute('CREATE TABLE ks.c (k int, a int, b text, PRIMARY KEY (k, a, b))');
    for (const [a, b] of [
      [1, 'b'],
      [-1, 'z'],
      [1, 'a'],
      [1, 'é'],
      [1, 'B'],
      [-2147483648, 'x'],
      [2147483647, 'x'],
      [0, ''],
    ]) {
      d.execute('INSERT INTO ks.c (k, a, b) VALUES (1, ?, ?)', [int(a as number), Buffer.from(b as string)]);
    }
    expect(decodeRows(d.execute('SELECT a, b FROM ks.c WHERE k = 1'))).toEqual([
      [-2147483648, 'x'],
      [-1, 'z'],
      [0, ''],
      [1, 'B'],
      [1, 'a'],
      [1, 'b'],
      [1, 'é'],
      [2147483647, 'x'],
    ]);
  });

  it('CLUSTERING ORDER BY DESC reverses one column only', () => {
    const d = db();
    d.execute(
      'CREATE TABLE ks.d (k int, a int, b bigint, v text, PRIMARY KEY (k, a, b)) WITH CLUSTERING ORDER BY (a DESC, b ASC)',
    );
    for (const [a, b] of [
      [1, 2],
      [2, 1],
      [1, 1],
      [3, -5],
      [2, -1],
    ])
      d.execute(`INSERT INTO ks.d (k, a, b, v) VALUES (0, ${a}, ${b}, 'x')`);
    expect(decodeRows(d.execute('SELECT a, b FROM ks.d WHERE k = 0'))).toEqual([
      [3, -5n],
      [2, -1n],
      [2, 1n],
      [1, 1n],
      [1, 2n],
    ]);
    // Ranges on a DESC column select by value, returned in storage order.
    expect(decodeRows(d.execute('SELECT a, b FROM ks.d WHERE k = 0 AND a > 1'))).toEqual([
      [3, -5n],
      [2, -1n],
      [2, 1n],
    ]);
    expect(decodeRows(d.execute('SELECT a, b FROM ks.d WHERE k = 0 AND a = 2 AND b >= 0'))).toEqual([[2, 1n]]);
  });

  it('composite partition keys hash their CompositeType serialisation', () => {
    const d = db();
    d.execute('CREATE TABLE ks.comp (a int, b text, v int, PRIMARY KEY ((a, b)))');
    const keys: [number, string][] = [
      [1, 'x'],
      [1, 'y'],
      [2, 'x'],
      [3, 'z'],
      [0, ''],
    ];
    for (const [a, b] of keys) d.execute('INSERT INTO ks.comp (a, b, v) VALUES (?, ?, 1)', [int(a), Buffer.from(b)]);
    const expected = keys
      .map(([a, b]) => ({ a, b, token: murmur3Token(serializePartitionKey([int(a), Buffer.from(b)])) }))
      .sort((x, y) => (x.token < y.token ? -1 : 1));
    const rows = decodeRows(d.execute('SELECT a, b, token(a, b) FROM ks.comp'));
    expect(rows).toEqual(expected.map((e) => [e.a, e.b, e.token]));
    expect(decodeRows(d.execute("SELECT v FROM ks.comp WHERE a = 1 AND b = 'y'"))).toEqual([[1]]);
  });

  it('token() ranges split a table exactly: the union is the whole table and nothing overlaps', () => {
    const d = db();
    d.execute('CREATE TABLE ks.big (k int PRIMARY KEY, v int)');
    d.load('ks', 'big', { count: 2000, generate: (i) => ({ k: i, v: i }) });
    const whole = decodeRows(d.execute('SELECT k FROM ks.big')).map((r) => r[0]);
    const bounds = [-(2n ** 63n), -(2n ** 62n), -1n, 0n, 2n ** 40n, 2n ** 62n, 2n ** 63n - 1n];
    const seen: unknown[] = [];
    // The first range includes the minimum token itself (no key hashes to it, by construction).
    seen.push(
      ...decodeRows(
        d.execute('SELECT k FROM ks.big WHERE token(k) >= ? AND token(k) <= ?', [
          bigint(bounds[0]!),
          bigint(bounds[1]!),
        ]),
      ).map((r) => r[0]),
    );
    for (let i = 1; i + 1 < bounds.length; i++) {
      const part = decodeRows(
        d.execute('SELECT k FROM ks.big WHERE token(k) > ? AND token(k) <= ?', [
          bigint(bounds[i]!),
          bigint(bounds[i + 1]!),
        ]),
      );
      seen.push(...part.map((r) => r[0]));
    }
    expect(seen).toEqual(whole);
    expect(new Set(seen).size).toBe(2000);
  });

  it('an upper token bound at the minimum token is no bound, as on Cassandra 5.0.2 (the whole ring from the lower bound)', () => {
    const d = db();
    d.execute('CREATE TABLE ks.big (k int PRIMARY KEY, v int)');
    d.load('ks', 'big', { count: 500, generate: (i) => ({ k: i, v: i }) });
    const whole = decodeRows(d.execute('SELECT k, token(k) FROM ks.big'));
    const min = bigint(-(2n ** 63n));
    // the recorded real server answered `token(pk) <= -9223372036854775808` with every row
    expect(decodeRows(d.execute('SELECT k, token(k) FROM ks.big WHERE token(k) <= ?', [min]))).toEqual(whole);
    expect(decodeRows(d.execute('SELECT k, token(k) FROM ks.big WHERE token(k) < ?', [min]))).toEqual(whole);
    // with a lower bound: the range (X, MIN] runs to the end of the ring
    expect(
      decodeRows(d.execute('SELECT k, token(k) FROM ks.big WHERE token(k) > ? AND token(k) <= ?', [bigint(0n), min])),
    ).toEqual(whole.filter((r) => (r[1] as bigint) > 0n));
    // a lower bound above a non-minimum upper bound stays empty
    expect(
      decodeRows(d.execute('SELECT k FROM ks.big WHERE token(k) > ? AND token(k) <= ?', [bigint(5n), bigint(-5n)])),
    ).toEqual([]);
  });
});

describe('value comparators', () => {
  it('timeuuid compares by timestamp first, then the low bytes as signed bytes', () => {
    const cmp = comparatorFor({ kind: 'timeuuid' });
    // Same clock sequence/node; 0x1e0 ticks apart in time_low only.
    const early = Buffer.from('00000001000011ef8000000000000000', 'hex');
    const late = Buffer.from('000001e0000011ef8000000000000000', 'hex');
    // time_hi is the most significant part of the timestamp even though it comes third.
    const laterHi = Buffer.from('00000000000011f08000000000000000', 'hex');
    expect(cmp(early, late)).toBeLessThan(0);
    expect(cmp(late, laterHi)).toBeLessThan(0);
    const lowNeg = Buffer.from('00000001000011ef8000000000000000', 'hex');
    const lowPos = Buffer.from('00000001000011ef0000000000000000', 'hex');
    expect(cmp(lowNeg, lowPos)).toBeLessThan(0); // 0x80 is -128 as a signed byte
  });

  it('uuid compares the version first, then v4 values by their high bytes', () => {
    const cmp = comparatorFor({ kind: 'uuid' });
    const v1 = Buffer.from('ffffffff000011ef8000000000000000', 'hex');
    const v4 = Buffer.from('00000000000040008000000000000000', 'hex');
    const v4b = Buffer.from('00000000000140008000000000000000', 'hex');
    expect(cmp(v1, v4)).toBeLessThan(0);
    expect(cmp(v4, v4b)).toBeLessThan(0);
  });

  it('doubles order numerically with -0.0 before 0.0 and NaN last; varint and decimal by value', () => {
    const dbl = comparatorFor({ kind: 'double' });
    const d = (x: number): Buffer => {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(x);
      return b;
    };
    const sorted = [NaN, 1, -0, 0, -Infinity, -2.5]
      .map(d)
      .sort(dbl)
      .map((b) => b.readDoubleBE(0));
    expect(sorted.map((x) => (Object.is(x, -0) ? '-0' : String(x)))).toEqual([
      '-Infinity',
      '-2.5',
      '-0',
      '0',
      '1',
      'NaN',
    ]);
    const vi = comparatorFor({ kind: 'varint' });
    expect(vi(Buffer.from('ff7f', 'hex'), Buffer.from('80', 'hex'))).toBeLessThan(0); // -129 < -128
    expect(vi(Buffer.from('0080', 'hex'), Buffer.from('7f', 'hex'))).toBeGreaterThan(0); // 128 > 127
    const dec = comparatorFor({ kind: 'decimal' });
    // 1.5 (scale 1, 15) vs 1.25 (scale 2, 125)
    expect(dec(Buffer.from('000000010f', 'hex'), Buffer.from('000000027d', 'hex'))).toBeGreaterThan(0);
  });
});

describe('static columns', () => {
  it('hold one value per partition, seen by every row of it, old and new', () => {
    const d = db();
    d.execute('CREATE TABLE ks.s (p int, c int, s text STATIC, v int, PRIMARY KEY (p, c))');
    d.execute("INSERT INTO ks.s (p, c, s, v) VALUES (1, 1, 'first', 10)");
    d.execute('INSERT INTO ks.s (p, c, v) VALUES (1, 2, 20)');
    d.execute("INSERT INTO ks.s (p, c, s, v) VALUES (2, 1, 'other', 30)");
    expect(decodeRows(d.execute('SELECT p, c, s, v FROM ks.s WHERE p = 1'))).toEqual([
      [1, 1, 'first', 10],
      [1, 2, 'first', 20],
    ]);
    d.execute("UPDATE ks.s SET s = 'second' WHERE p = 1 AND c = 2");
    expect(decodeRows(d.execute('SELECT c, s FROM ks.s WHERE p = 1'))).toEqual([
      [1, 'second'],
      [2, 'second'],
    ]);
    expect(decodeRows(d.execute('SELECT c, s FROM ks.s WHERE p = 2'))).toEqual([[1, 'other']]);
  });
});
