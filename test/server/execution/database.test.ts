import { describe, expect, it } from 'vitest';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import { AlreadyExistsError, CqlSyntaxError, InvalidRequestError } from '../../../src/protocol/errors/index.js';
import { UNSET } from '../../../src/protocol/primitives/index.js';
import type {
  BoundValues,
  ExecuteOptions,
  ExecutionResult,
  PreparedStatement,
} from '../../../src/server/execution/index.js';
import { Database } from '../../../src/server/execution/index.js';
import { bigint, CREATE_KS, decodeRows, int, rowsOf } from './rows.js';

/** The keyspace is the connection's business (USE answers set_keyspace): this stands for a connection after USE ks. */
class SessionOnKs extends Database {
  override execute(
    statement: string | PreparedStatement,
    values: BoundValues = [],
    options: ExecuteOptions = {},
  ): ExecutionResult {
    return super.execute(statement, values, { keyspace: 'ks', ...options });
  }
}

function kv(): Database {
  const db = new SessionOnKs();
  db.execute(CREATE_KS);
  db.execute('USE ks');
  db.execute('CREATE TABLE ks.kv (k int PRIMARY KEY, v text)');
  return db;
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('Database: statements', () => {
  it('USE answers set_keyspace, DDL answers schema_change with Cassandra targets', () => {
    const db = new Database();
    expect(db.execute(CREATE_KS)).toEqual({
      opcode: Opcode.RESULT,
      kind: 'schemaChange',
      change: {
        change: 'CREATED',
        target: 'KEYSPACE',
        keyspace: 'ks',
      },
    });
    expect(db.execute('USE ks')).toEqual({ opcode: Opcode.RESULT, kind: 'setKeyspace', keyspace: 'ks' });
    expect(db.execute('CREATE TABLE t (k int PRIMARY KEY)', [], { keyspace: 'ks' })).toEqual({
      opcode: Opcode.RESULT,
      kind: 'schemaChange',
      change: {
        change: 'CREATED',
        target: 'TABLE',
        keyspace: 'ks',
        name: 't',
      },
    });
    expect(db.execute('CREATE TYPE ks.addr (street text)')).toEqual({
      opcode: Opcode.RESULT,
      kind: 'schemaChange',
      change: {
        change: 'CREATED',
        target: 'TYPE',
        keyspace: 'ks',
        name: 'addr',
      },
    });
    expect(db.execute('ALTER TABLE ks.t ADD a frozen<addr>')).toEqual({
      opcode: Opcode.RESULT,
      kind: 'schemaChange',
      change: {
        change: 'UPDATED',
        target: 'TABLE',
        keyspace: 'ks',
        name: 't',
      },
    });
    expect(db.execute('DROP TABLE ks.t')).toEqual({
      opcode: Opcode.RESULT,
      kind: 'schemaChange',
      change: {
        change: 'DROPPED',
        target: 'TABLE',
        keyspace: 'ks',
        name: 't',
      },
    });
    expect(db.execute("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy'}")).toEqual({
      opcode: Opcode.RESULT,
      kind: 'void',
    });
  });

  it('INSERT upserts: a second INSERT replaces only the columns it names; UNSET leaves a column as is', () => {
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute('CREATE TABLE ks.u (k int PRIMARY KEY, a text, b int)');
    db.execute("INSERT INTO ks.u (k, a, b) VALUES (1, 'x', 10)");
    db.execute("INSERT INTO ks.u (k, a) VALUES (1, 'y')");
    expect(decodeRows(db.execute('SELECT * FROM ks.u'))).toEqual([[1, 'y', 10]]);
    db.execute('INSERT INTO ks.u (k, a, b) VALUES (?, ?, ?)', [int(1), UNSET, null]);
    expect(decodeRows(db.execute('SELECT * FROM ks.u'))).toEqual([[1, 'y', null]]);
    db.execute('UPDATE ks.u SET b = 5 WHERE k = 2');
    db.execute('DELETE b FROM ks.u WHERE k = 2');
    // An UPDATE writes no row marker: with its only cell deleted the row is gone.
    expect(decodeRows(db.execute('SELECT k FROM ks.u'))).toEqual([[1]]);
  });

  it('SELECT * lists partition key, clustering, then the other columns by name', () => {
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute('CREATE TABLE ks.o (z int, y int, b text, a text, PRIMARY KEY (z, y))');
    expect(rowsOf(db.execute('SELECT * FROM ks.o')).metadata.columns.map((c) => c.name)).toEqual(['z', 'y', 'a', 'b']);
  });

  it('COUNT(*) and count(1) count the selected rows in one row, column "count" of type bigint', () => {
    const db = kv();
    db.load('ks', 'kv', { count: 250, generate: (i) => ({ k: i, v: `v${i}` }) });
    const r = rowsOf(db.execute('SELECT COUNT(*) FROM kv', [], { pageSize: 100 }));
    expect(r.metadata.columns).toEqual([{ keyspace: 'ks', table: 'kv', name: 'count', type: { kind: 'bigint' } }]);
    expect(decodeRows(r)).toEqual([[250n]]);
    expect(r.metadata.pagingState).toBeUndefined();
    expect(decodeRows(db.execute('SELECT count(1) FROM kv WHERE k IN (1, 2, 999)'))).toEqual([[2n]]);
  });

  it('IF NOT EXISTS answers [applied], with the existing row when not applied', () => {
    const db = kv();
    const first = rowsOf(db.execute("INSERT INTO kv (k, v) VALUES (1, 'one') IF NOT EXISTS"));
    expect(first.metadata.columns.map((c) => c.name)).toEqual(['[applied]']);
    expect(decodeRows(first)).toEqual([[true]]);
    const second = rowsOf(db.execute("INSERT INTO kv (k, v) VALUES (1, 'uno') IF NOT EXISTS"));
    expect(second.metadata.columns.map((c) => c.name)).toEqual(['[applied]', 'k', 'v']);
    expect(decodeRows(second)).toEqual([[false, 1, 'one']]);
    expect(second.conditional).toBe(true);
    expect(decodeRows(db.execute("UPDATE kv SET v = 'x' WHERE k = 5 IF EXISTS"))).toEqual([[false]]);
    expect(decodeRows(db.execute('DELETE FROM kv WHERE k = 1 IF EXISTS'))).toEqual([[true]]);
  });

  it('counters add and subtract; setting one or INSERTing into a counter table is refused as Cassandra does', () => {
    const db = kv();
    db.execute('CREATE TABLE c (k int PRIMARY KEY, n counter, m counter)');
    db.execute('UPDATE c SET n = n + 1 WHERE k = 1');
    db.execute('UPDATE c SET n = n + 41, m = m - 3 WHERE k = 1');
    db.execute('UPDATE c SET n = n + ? WHERE k = 1', [bigint(-2n)]);
    expect(decodeRows(db.execute('SELECT n, m FROM c WHERE k = 1'))).toEqual([[40n, -3n]]);
    expect(thrown(() => db.execute('UPDATE c SET n = 5 WHERE k = 1')).message).toContain(
      'Cannot set the value of counter column n (counters can only be incremented/decremented, not set)',
    );
    expect(thrown(() => db.execute('INSERT INTO c (k, n) VALUES (1, 1)')).message).toContain(
      'INSERT statements are not allowed on counter tables, use UPDATE instead',
    );
  });

  it('collections: sets are stored sorted and deduplicated; list append and map merge', () => {
    const db = kv();
    db.execute('CREATE TABLE col (k int PRIMARY KEY, s set<int>, l list<text>, m map<text, int>)');
    db.execute("INSERT INTO col (k, s, l, m) VALUES (1, {3, 1, 2, 1}, ['a'], {'b': 2, 'a': 1})");
    db.execute("UPDATE col SET s = s + {0}, l = l + ['b'], m = m + {'c': 3} WHERE k = 1");
    db.execute("UPDATE col SET l = ['z'] + l, s = s - {2} WHERE k = 1");
    expect(decodeRows(db.execute('SELECT s, l, m FROM col'))).toEqual([
      [
        new Set([0, 1, 3]),
        ['z', 'a', 'b'],
        new Map([
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ]),
      ],
    ]);
  });

  it('element assignment: m[k] = v sets or (with null) removes a key; l[i] = v replaces an element', () => {
    const db = kv();
    db.execute('CREATE TABLE el (k int PRIMARY KEY, m map<text, int>, l list<int>)');
    db.execute("INSERT INTO el (k, m, l) VALUES (1, {'a': 1, 'b': 2}, [1, 2, 3])");
    db.execute("UPDATE el SET m['c'] = 3, m['a'] = null, l[1] = 20 WHERE k = 1");
    expect(decodeRows(db.execute('SELECT m, l FROM el'))).toEqual([
      [
        new Map([
          ['b', 2],
          ['c', 3],
        ]),
        [1, 20, 3],
      ],
    ]);
    expect((thrown(() => db.execute('UPDATE el SET l[5] = 1 WHERE k = 1')) as InvalidRequestError).serverMessage).toBe(
      'List index 5 out of bound, list has size 3',
    );
    expect(db.prepare('UPDATE el SET m[?] = ? WHERE k = ?', 'ks').bindColumns.map((c) => c.name)).toEqual([
      'key(m)',
      'value(m)',
      'k',
    ]);
  });

  it('DELETE removes a row, a clustering range or a whole partition; TRUNCATE empties the table', () => {
    const db = kv();
    db.execute('CREATE TABLE r (p int, c int, PRIMARY KEY (p, c))');
    db.load('ks', 'r', { count: 20, generate: (i) => [i % 2, i] });
    db.execute('DELETE FROM r WHERE p = 0 AND c = 4');
    db.execute('DELETE FROM r WHERE p = 0 AND c >= 10 AND c < 16');
    expect(decodeRows(db.execute('SELECT c FROM r WHERE p = 0')).map((x) => x[0])).toEqual([0, 2, 6, 8, 16, 18]);
    db.execute('DELETE FROM r WHERE p = 1');
    expect(decodeRows(db.execute('SELECT count(*) FROM r'))).toEqual([[6n]]);
    db.execute('TRUNCATE r');
    expect(decodeRows(db.execute('SELECT count(*) FROM r'))).toEqual([[0n]]);
  });

  it("ALLOW FILTERING filters other columns; without it the query is refused with Cassandra's message", () => {
    const db = kv();
    db.load('ks', 'kv', { count: 30, generate: (i) => ({ k: i, v: i % 3 === 0 ? 'fizz' : 'no' }) });
    expect(thrown(() => db.execute("SELECT k FROM kv WHERE v = 'fizz'")).message).toContain(
      'Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. ' +
        'If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING',
    );
    const rows = decodeRows(db.execute("SELECT k FROM kv WHERE v = 'fizz' ALLOW FILTERING")).map((r) => r[0] as number);
    expect([...rows].sort((a, b) => a - b)).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
  });

  it('BATCH applies each INSERT/UPDATE/DELETE and refuses other statements', () => {
    const db = kv();
    expect(
      db.execute(
        "BEGIN BATCH INSERT INTO kv (k, v) VALUES (1, 'a'); INSERT INTO kv (k, v) VALUES (?, ?); DELETE FROM kv WHERE k = 1; APPLY BATCH",
        [int(2), Buffer.from('b')],
      ),
    ).toEqual({ opcode: Opcode.RESULT, kind: 'void' });
    expect(decodeRows(db.execute('SELECT * FROM kv'))).toEqual([[2, 'b']]);
    expect(
      db.batch([{ statement: 'INSERT INTO kv (k, v) VALUES (?, ?)', values: [int(3), Buffer.from('c')] }], {
        keyspace: 'ks',
      }),
    ).toEqual({ opcode: Opcode.RESULT, kind: 'void' });
    expect(thrown(() => db.batch([{ statement: 'SELECT * FROM kv' }])).message).toContain(
      'Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.',
    );
    expect(
      thrown(() => db.execute("BEGIN BATCH INSERT INTO kv (k, v) VALUES (9, 'x') IF NOT EXISTS APPLY BATCH")),
    ).toBeInstanceOf(InvalidRequestError);
    expect(decodeRows(db.execute('SELECT k FROM kv WHERE k = 9'))).toEqual([]);
  });

  it('named bind markers take values by name', () => {
    const db = kv();
    db.execute('INSERT INTO kv (k, v) VALUES (:key, :val)', { key: int(7), val: Buffer.from('seven') });
    expect(decodeRows(db.execute('SELECT v FROM kv WHERE k = :k', new Map([['k', int(7)]])))).toEqual([['seven']]);
  });
});

describe('Database: errors', () => {
  it('errors carry the class and message Cassandra gives', () => {
    const db = kv();
    const unknownTable = thrown(() => db.execute('SELECT * FROM no_such_table'));
    expect(unknownTable).toBeInstanceOf(InvalidRequestError);
    expect((unknownTable as InvalidRequestError).serverMessage).toBe('table no_such_table does not exist');
    const syntax = thrown(() => db.execute('SELEC * FROM kv'));
    expect(syntax).toBeInstanceOf(CqlSyntaxError);
    expect((syntax as CqlSyntaxError).serverMessage).toBe(
      "line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)",
    );
    expect((thrown(() => db.execute('USE nope')) as InvalidRequestError).serverMessage).toBe(
      "Keyspace 'nope' does not exist",
    );
    expect((thrown(() => db.execute('SELECT nope FROM kv')) as InvalidRequestError).serverMessage).toBe(
      'Undefined column name nope in table ks.kv',
    );
    expect((thrown(() => db.execute('SELECT * FROM kv WHERE nope = 1')) as InvalidRequestError).serverMessage).toBe(
      'Undefined column name nope in table ks.kv',
    );
    expect((thrown(() => new Database().execute('SELECT * FROM t')) as InvalidRequestError).serverMessage).toBe(
      'No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename',
    );
    const exists = thrown(() => db.execute('CREATE TABLE kv (k int PRIMARY KEY)'));
    expect(exists).toBeInstanceOf(AlreadyExistsError);
    expect(exists).toMatchObject({
      keyspace: 'ks',
      table: 'kv',
      serverMessage: 'Cannot add already existing table "kv" to keyspace "ks"',
    });
    expect(thrown(() => db.execute(CREATE_KS))).toMatchObject({
      keyspace: 'ks',
      table: '',
      serverMessage: 'Cannot add existing keyspace "ks"',
    });
  });

  it('a bound int of the wrong length is InvalidRequest "Expected 4 or 0 byte int (3)"', () => {
    const db = kv();
    const e = thrown(() => db.execute('INSERT INTO kv (k, v) VALUES (?, ?)', [Buffer.from('000001', 'hex'), null]));
    expect(e).toBeInstanceOf(InvalidRequestError);
    expect((e as InvalidRequestError).serverMessage).toBe('Expected 4 or 0 byte int (3)');
    expect(
      (thrown(() => db.execute('INSERT INTO kv (k, v) VALUES (?, ?)', [int(1)])) as InvalidRequestError).serverMessage,
    ).toBe('There were 2 markers(?) in CQL but 1 bound variables');
  });

  it('a literal of the wrong kind is "Invalid STRING constant (...) for "k" of type int"', () => {
    const db = kv();
    expect(
      (thrown(() => db.execute("INSERT INTO kv (k, v) VALUES ('abc', 'x')")) as InvalidRequestError).serverMessage,
    ).toBe('Invalid STRING constant (abc) for "k" of type int');
    expect((thrown(() => db.execute('INSERT INTO kv (k, v) VALUES (1, 2)')) as InvalidRequestError).serverMessage).toBe(
      'Invalid INTEGER constant (2) for "v" of type text',
    );
  });

  it('missing key parts are refused', () => {
    const db = kv();
    db.execute('CREATE TABLE pc (a int, b int, c int, v int, PRIMARY KEY ((a, b), c))');
    expect((thrown(() => db.execute('INSERT INTO pc (a, c) VALUES (1, 2)')) as InvalidRequestError).serverMessage).toBe(
      'Some partition key parts are missing: b',
    );
    expect(
      (thrown(() => db.execute('UPDATE pc SET v = 1 WHERE a = 1 AND b = 2')) as InvalidRequestError).serverMessage,
    ).toBe('Some clustering keys are missing: c');
  });
});

describe('Database: malformed bound collections', () => {
  it('a list or set whose bytes do not parse is InvalidRequest, and nothing is stored', () => {
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute('CREATE TABLE ks.l (k int PRIMARY KEY, l list<int>, s set<int>)');
    const truncated = Buffer.from('00000002' + '00000004' + '00000001', 'hex'); // says 2 elements, holds 1
    expect(() => db.execute('INSERT INTO ks.l (k, l) VALUES (1, ?)', [truncated])).toThrow(InvalidRequestError);
    expect(() => db.execute('INSERT INTO ks.l (k, s) VALUES (1, ?)', [Buffer.from('7fffffff', 'hex')])).toThrow(
      InvalidRequestError,
    );
    expect(decodeRows(db.execute('SELECT count(*) FROM ks.l'))).toEqual([[0n]]);
  });
});

describe('Database: malformed bound tuples and UDTs', () => {
  it('are InvalidRequest, even as clustering keys that the store would compare', () => {
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute('CREATE TYPE ks.pt (x int, y int)');
    db.execute('CREATE TABLE ks.g (k int, c frozen<pt>, t frozen<tuple<int, text>>, PRIMARY KEY (k, c))');
    db.execute('INSERT INTO ks.g (k, c) VALUES (1, {x: 1, y: 2})');
    const cases: [string, string][] = [
      ['00000004000000', 'Not enough bytes to read a udt'], // length 4 announced, 3 bytes follow
      ['00000004000000010000000400000002' + '00', 'Invalid remaining data after end of UDT value'], // x, y, then a stray byte
      ['00000002' + '0001', 'Expected 4 or 0 byte int (2)'], // x is a 2-byte int
    ];
    for (const [hex, message] of cases) {
      const e = thrown(() => db.execute('INSERT INTO ks.g (k, c) VALUES (1, ?)', [Buffer.from(hex, 'hex')]));
      expect({ hex, error: e.constructor.name, message: (e as InvalidRequestError).serverMessage }).toEqual({
        hex,
        error: 'InvalidRequestError',
        message,
      });
    }
    const badTuple = thrown(() =>
      db.execute('UPDATE ks.g SET t = ? WHERE k = 1 AND c = {x: 1, y: 2}', [
        Buffer.from('00000004' + '00000001' + '00000002' + '61ff', 'hex'),
      ]),
    );
    expect((badTuple as InvalidRequestError).serverMessage).toBe("String didn't validate.");
    expect(decodeRows(db.execute('SELECT count(*) FROM ks.g'))).toEqual([[1n]]);
  });
});

describe('Database: key limits', () => {
  it('a partition key component over 65535 bytes is InvalidRequest, as in Cassandra', () => {
    const db = new Database();
    db.execute(CREATE_KS);
    db.execute('CREATE TABLE ks.big (k text PRIMARY KEY, v int)');
    const e = thrown(() => db.execute('INSERT INTO ks.big (k, v) VALUES (?, 1)', [Buffer.alloc(70000, 0x61)]));
    expect(e).toBeInstanceOf(InvalidRequestError);
    expect((e as InvalidRequestError).serverMessage).toBe('Key length of 70000 is longer than maximum of 65535');
  });
});
