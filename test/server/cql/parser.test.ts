import { describe, expect, it } from 'vitest';
import { CqlSyntaxError } from '../../../src/protocol/errors/index.js';
import { parseStatement } from '../../../src/server/cql/index.js';

function syntaxError(query: string): CqlSyntaxError {
  try {
    parseStatement(query);
  } catch (e) {
    if (e instanceof CqlSyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for ${query}`);
}

describe('CQL parser: accepted statements', () => {
  it('CREATE KEYSPACE with replication map and IF NOT EXISTS', () => {
    const p = parseStatement(
      "CREATE KEYSPACE IF NOT EXISTS Ks1 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1} AND durable_writes = false",
    );
    expect(p.statement).toEqual({
      type: 'create_keyspace',
      keyspace: 'ks1',
      ifNotExists: true,
      durableWrites: false,
      replication: new Map([
        ['class', 'SimpleStrategy'],
        ['replication_factor', '1'],
      ]),
    });
  });

  it('CREATE TABLE with composite partition key, clustering columns, CLUSTERING ORDER and ignored options', () => {
    const p = parseStatement(
      'create table "Ks".t (a int, b text, c timeuuid, d frozen<map<text, list<int>>>, v vector<float, 3>, ' +
        "PRIMARY KEY ((a, b), c)) WITH CLUSTERING ORDER BY (c DESC) AND comment = 'x' AND gc_grace_seconds = 10",
    );
    expect(p.statement).toEqual({
      type: 'create_table',
      table: { keyspace: 'Ks', name: 't' },
      ifNotExists: false,
      columns: [
        { name: 'a', type: { kind: 'native', name: 'int' }, isStatic: false },
        { name: 'b', type: { kind: 'native', name: 'text' }, isStatic: false },
        { name: 'c', type: { kind: 'native', name: 'timeuuid' }, isStatic: false },
        {
          name: 'd',
          type: {
            kind: 'map',
            key: { kind: 'native', name: 'text' },
            value: { kind: 'list', element: { kind: 'native', name: 'int' }, frozen: false },
            frozen: true,
          },
          isStatic: false,
        },
        {
          name: 'v',
          type: { kind: 'vector', element: { kind: 'native', name: 'float' }, dimension: 3 },
          isStatic: false,
        },
      ],
      partitionKey: ['a', 'b'],
      clustering: ['c'],
      clusteringOrder: [{ column: 'c', descending: true }],
      options: new Map([
        ['comment', 'x'],
        ['gc_grace_seconds', '10'],
      ]),
    });
  });

  it('INSERT with literals of every kind, bind markers and USING TTL', () => {
    const p = parseStatement(
      "INSERT INTO t (a, b, c, d, e) VALUES (-1, 'it''s', ?, {'k': [1, 2]}, :named) IF NOT EXISTS USING TTL 10",
    );
    expect(p.bindCount).toBe(2);
    expect(p.bindNames).toEqual([undefined, 'named']);
    expect(p.statement).toMatchObject({
      type: 'insert',
      columns: ['a', 'b', 'c', 'd', 'e'],
      ifNotExists: true,
      values: [
        { kind: 'integer', text: '-1' },
        { kind: 'string', value: "it's" },
        { kind: 'bind', index: 0, name: undefined },
        {
          kind: 'map',
          entries: [
            [
              { kind: 'string', value: 'k' },
              {
                kind: 'list',
                items: [
                  { kind: 'integer', text: '1' },
                  { kind: 'integer', text: '2' },
                ],
              },
            ],
          ],
        },
        { kind: 'bind', index: 1, name: 'named' },
      ],
      using: { ttl: { kind: 'integer', text: '10' }, timestamp: undefined },
    });
  });

  it('SELECT with COUNT(*), token(), IN, ranges, LIMIT ? and ALLOW FILTERING', () => {
    const p = parseStatement(
      'SELECT COUNT(*), token(pk) AS t, v FROM ks.tab WHERE pk IN (1, 2) AND ck >= ? AND token(pk) > 5 LIMIT ? ALLOW FILTERING;',
    );
    expect(p.statement).toEqual({
      type: 'select',
      table: { keyspace: 'ks', name: 'tab' },
      json: false,
      distinct: false,
      selectors: [
        { kind: 'count', text: 'COUNT(*)', alias: undefined },
        { kind: 'token', columns: ['pk'], alias: 't' },
        { kind: 'column', name: 'v', alias: undefined },
      ],
      where: [
        {
          kind: 'column',
          column: 'pk',
          op: 'IN',
          term: [
            { kind: 'integer', text: '1' },
            { kind: 'integer', text: '2' },
          ],
        },
        { kind: 'column', column: 'ck', op: '>=', term: { kind: 'bind', index: 0, name: undefined } },
        { kind: 'token', columns: ['pk'], op: '>', term: { kind: 'integer', text: '5' } },
      ],
      orderBy: [],
      perPartitionLimit: undefined,
      limit: { kind: 'bind', index: 1, name: undefined },
      allowFiltering: true,
    });
  });

  it('UPDATE of a counter with c = c + 1, DELETE, TRUNCATE, USE, BATCH', () => {
    expect(parseStatement('UPDATE c SET n = n + 1, m = m - 2 WHERE k = 1').statement).toMatchObject({
      assignments: [
        { column: 'n', op: 'add', term: { kind: 'integer', text: '1' } },
        { column: 'm', op: 'subtract', term: { kind: 'integer', text: '2' } },
      ],
    });
    expect(parseStatement('DELETE FROM t WHERE k = 1 AND c = 2').statement).toMatchObject({
      type: 'delete',
      columns: [],
    });
    expect(parseStatement('TRUNCATE TABLE ks.t').statement).toEqual({
      type: 'truncate',
      table: { keyspace: 'ks', name: 't' },
    });
    expect(parseStatement('USE "MyKs"').statement).toEqual({ type: 'use', keyspace: 'MyKs' });
    const b = parseStatement(
      "BEGIN UNLOGGED BATCH INSERT INTO t (k) VALUES (?); UPDATE t SET v = 'x' WHERE k = ?; APPLY BATCH",
    );
    expect(b.bindCount).toBe(2);
    expect(b.statement).toMatchObject({
      type: 'batch',
      batchType: 'unlogged',
      statements: [{ type: 'insert' }, { type: 'update' }],
    });
  });

  it('identifiers fold to lower case unless double-quoted; keywords are case-insensitive', () => {
    expect(parseStatement('sElEcT MixedCase, "Quoted" FrOm Tab').statement).toMatchObject({
      table: { keyspace: undefined, name: 'tab' },
      selectors: [
        { kind: 'column', name: 'mixedcase' },
        { kind: 'column', name: 'Quoted' },
      ],
    });
  });

  it('CREATE TYPE, DROP TYPE, ALTER TABLE ADD/DROP, DROP TABLE IF EXISTS', () => {
    expect(parseStatement('CREATE TYPE ks.addr (street text, zip int)').statement).toMatchObject({
      type: 'create_type',
      fields: [{ name: 'street' }, { name: 'zip' }],
    });
    expect(parseStatement('DROP TYPE IF EXISTS addr').statement).toEqual({
      type: 'drop_type',
      name: { keyspace: undefined, name: 'addr' },
      ifExists: true,
    });
    expect(parseStatement('ALTER TABLE t ADD extra frozen<addr>').statement).toEqual({
      type: 'alter_table',
      table: { keyspace: undefined, name: 't' },
      add: [{ name: 'extra', type: { kind: 'udt', keyspace: undefined, name: 'addr', frozen: true }, isStatic: false }],
      drop: [],
    });
    expect(parseStatement('ALTER TABLE t DROP extra').statement).toMatchObject({ drop: ['extra'] });
    expect(parseStatement('DROP TABLE IF EXISTS t').statement).toEqual({
      type: 'drop_table',
      table: { keyspace: undefined, name: 't' },
      ifExists: true,
    });
  });
});

describe('CQL parser: rejected statements', () => {
  it('an unknown first word is "no viable alternative" with the snippet Cassandra gives', () => {
    const e = syntaxError('SELEC * FROM kv');
    expect(e.code).toBe(0x2000);
    // Exactly what Cassandra 5.0.2 answered in the recordings.
    expect(e.serverMessage).toBe("line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)");
  });

  it('trailing garbage is "mismatched input ... expecting EOF" at its column', () => {
    const e = syntaxError('SELECT * FROM kv kv2');
    expect(e.serverMessage).toBe("line 1:17 mismatched input 'kv2' expecting EOF (SELECT * FROM kv [kv2])");
  });

  it('a missing keyword names the expected token', () => {
    const e = syntaxError('SELECT a b FROM t');
    expect(e.serverMessage).toBe("line 1:9 mismatched input 'b' expecting K_FROM (SELECT a [b]...)");
  });

  it('a reserved word where a term is expected is "no viable alternative"; the snippet starts 10 stream tokens back', () => {
    const e = syntaxError('INSERT INTO t (a) VALUES (FROM)');
    expect(e.serverMessage).toBe("line 1:26 no viable alternative at input 'FROM' (... t (a) VALUES ([FROM]...)");
  });

  it('the end of input is reported as <EOF> without a snippet', () => {
    expect(syntaxError('SELECT * FROM').serverMessage).toBe("line 1:13 mismatched input '<EOF>' expecting IDENT");
  });

  it('an unterminated string and an unknown character are lexer errors', () => {
    expect(syntaxError("SELECT * FROM t WHERE a = 'x").serverMessage).toBe(
      "line 1:28 mismatched character '<EOF>' expecting '''",
    );
    expect(syntaxError('SELECT @ FROM t').serverMessage).toBe("line 1:7 no viable alternative at character '@'");
  });

  it('reports the line and column on a later line', () => {
    expect(syntaxError('SELECT *\nFROM t\nWHERE').serverMessage).toBe(
      "line 3:5 mismatched input '<EOF>' expecting IDENT",
    );
  });

  it('unsupported statements are rejected', () => {
    expect(syntaxError('CREATE INDEX ON t (v)').serverMessage).toMatch(
      /^line 1:7 no viable alternative at input 'INDEX'/,
    );
    expect(syntaxError('GRANT ALL ON t TO bob').serverMessage).toMatch(
      /^line 1:0 no viable alternative at input 'GRANT'/,
    );
  });
});

describe('CQL lexer: literals', () => {
  it('durations need digits: pt, p and pt1 are identifiers, PT1H and 1h30m are durations', () => {
    expect(parseStatement('SELECT pt, p, pt1 FROM t').statement).toMatchObject({
      selectors: [
        { kind: 'column', name: 'pt' },
        { kind: 'column', name: 'p' },
        { kind: 'column', name: 'pt1' },
      ],
    });
    expect(parseStatement('INSERT INTO t (a, b, c) VALUES (PT1H, 1h30m, P2W)').statement).toMatchObject({
      values: [
        { kind: 'duration', text: 'PT1H' },
        { kind: 'duration', text: '1h30m' },
        { kind: 'duration', text: 'P2W' },
      ],
    });
  });

  it('numbers, uuids, blobs, booleans, NaN/Infinity and $$ strings', () => {
    expect(
      parseStatement(
        "INSERT INTO t (a) VALUES (-1.5e3, 123e4567-e89b-12d3-a456-426614174000, 0xCAFE, TRUE, NaN, -Infinity, $$it's$$)",
      ).statement,
    ).toMatchObject({
      values: [
        { kind: 'float', text: '-1.5e3' },
        { kind: 'uuid', text: '123e4567-e89b-12d3-a456-426614174000' },
        { kind: 'hex', text: '0xCAFE' },
        { kind: 'boolean', value: true },
        { kind: 'float', text: 'NaN' },
        { kind: 'float', text: '-Infinity' },
        { kind: 'string', value: "it's" },
      ],
    });
  });
});
