import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryIo } from '../../src/cli/query-command.js';
import { runQueryCommand } from '../../src/cli/query-command.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';

/** A Writable that keeps what it is given. */
class Collector extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

let server: EmbeddedServer;
let cp: string;

async function query(
  argv: string[],
  extra: Partial<QueryIo> = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await runQueryCommand(argv, { stdout, stderr, env: {}, ...extra });
  return { code, out: stdout.text, err: stderr.text };
}

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  cp = server.contactPoints[0]!;
  server.execute("CREATE KEYSPACE pg WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  server.execute('CREATE TABLE pg.many (k int PRIMARY KEY)');
  server.load('pg', 'many', { count: 5, generate: (i) => ({ k: i }) });
});

afterAll(async () => {
  await server?.stop();
});

describe('cqlwire query', () => {
  it('creates a keyspace and a table, inserts and selects, printing the rows like cqlsh', async () => {
    const script = [
      "CREATE KEYSPACE q WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};",
      'CREATE TABLE q.people (id int PRIMARY KEY, name text, tags set<text>, born date, score bigint);',
      "INSERT INTO q.people (id, name, tags, born, score) VALUES (1, 'ann', {'a;b', 'c'}, '1990-05-01', 9007199254740993);",
      "INSERT INTO q.people (id, name) VALUES (22, 'it''s bob'); -- a comment; with a semicolon",
      'SELECT id, name, tags, born, score FROM q.people WHERE id IN (1, 22);',
    ].join('\n');
    const r = await query(['-f', 'setup.cql', '--contact-points', cp], { readFile: () => script });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        '',
        ' id | name     | tags         | born       | score',
        '----+----------+--------------+------------+------------------',
        "  1 |      ann | {'a;b', 'c'} | 1990-05-01 | 9007199254740993",
        " 22 | it's bob |         null |       null |             null",
        '',
        '(2 rows)',
        '',
      ].join('\n'),
    );
  });

  it('one statement as the argument; --format csv and ndjson; --expand', async () => {
    const select = 'SELECT id, name FROM q.people WHERE id = 1';
    expect((await query([select, '--contact-points', cp, '--format', 'csv'])).out).toBe('id,name\r\n1,ann\r\n');
    expect((await query([select, '--contact-points', cp, '--format', 'ndjson'])).out).toBe('{"id":1,"name":"ann"}\n');
    expect((await query([select, '--contact-points', cp, '--expand'])).out).toBe(
      '\n@ Row 1\n------+-----\n id   | 1\n name | ann\n\n(1 rows)\n',
    );
  });

  it('pages with --fetch-size: with --page it prints each page and asks before the next', async () => {
    let asked = 0;
    const paged = await query(['SELECT k FROM pg.many', '--contact-points', cp, '--fetch-size', '2', '--page'], {
      more: () => Promise.resolve(++asked < 2),
    });
    expect(paged.code).toBe(0);
    expect(asked).toBe(2);
    expect(paged.out.match(/^ k$/gm)).toHaveLength(2);
    expect(paged.out.endsWith('\n(4 rows)\n')).toBe(true);
    const all = await query(['SELECT k FROM pg.many', '--contact-points', cp, '--fetch-size', '2', '--no-page']);
    expect(all.out.match(/^ k$/gm)).toHaveLength(1);
    expect(all.out.match(/^ \d$/gm)).toHaveLength(5);
    expect(all.out.endsWith('\n(5 rows)\n')).toBe(true);
  });

  it('reads statements from stdin with -f -', async () => {
    const r = await query(['-f', '-', '--contact-points', cp, '--format', 'csv'], {
      stdin: Readable.from(['SELECT name FROM q.people ', 'WHERE id = 22;\n']),
    });
    expect(r.out).toBe("name\r\nit's bob\r\n");
  });

  it('a failing statement stops the run with exit 1 and its line', async () => {
    const r = await query(['-f', 'bad.cql', '--contact-points', cp], {
      readFile: () =>
        'INSERT INTO q.people (id) VALUES (5);\n\nSELEKT * FROM q.people;\nINSERT INTO q.people (id) VALUES (6);',
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^cqlwire query: line 3: Server error SYNTAX_ERROR \(0x2000\): .*\(statement: SELEKT \* FROM q\.people\)\n$/,
    );
    const six = await query(['SELECT id FROM q.people WHERE id = 6', '--contact-points', cp, '--format', 'csv']);
    expect(six.out).toBe('id\r\n');
  });

  it('an unfinished string in a file is refused before connecting', async () => {
    const r = await query(['-f', 'x.cql', '--contact-points', '127.0.0.1:1'], {
      readFile: () => "SELECT 1;\nINSERT INTO t (v) VALUES ('oops);",
    });
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'cqlwire query: line 2: the last statement never ends (an open string, quoted name or comment)\n',
    );
  });

  it.each([
    [[], 'cqlwire query: expected one "<statement>" argument or -f FILE, got 0 arguments (quote the statement)'],
    [['SELECT 1'], 'cqlwire query: --contact-points is required (e.g. --contact-points 10.0.0.1,10.0.0.2)'],
    [
      ['SELECT 1', '--contact-points', 'h', '--format', 'xml'],
      "cqlwire query: --format must be table, csv, ndjson, got 'xml'",
    ],
    [
      ['SELECT 1', '--contact-points', 'h', '--user', 'bob'],
      'cqlwire query: --user bob needs a password: set CQLWIRE_PASSWORD (or pass --password)',
    ],
    [
      ['SELECT 1', '-f', 'x.cql', '--contact-points', 'h'],
      'cqlwire query: give the statements either as the argument or with -f FILE, not both',
    ],
  ])('usage error %j exits 2', async (argv, message) => {
    const r = await query(argv);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${message}\nRun 'cqlwire query --help' for the options.\n`);
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await query(['--help']);
    expect(r.code).toBe(0);
    expect(r.out.startsWith('Usage: cqlwire query "<statement>"')).toBe(true);
    expect(r.out).toContain('--contact-points LIST');
  });

  it('the password rules of export: from CQLWIRE_PASSWORD, never printed', async () => {
    const secure = await startEmbeddedServer({ port: 0, credentials: { username: 'bob', password: 'right-one' } });
    try {
      const wrong = await query(['SELECT 1', '--contact-points', secure.contactPoints[0]!, '--user', 'bob'], {
        env: { CQLWIRE_PASSWORD: 'wr0ng-S3cret' },
      });
      expect(wrong.code).toBe(1);
      expect(wrong.err).not.toContain('wr0ng-S3cret');
      const ok = await query(
        [
          'SELECT release_version FROM system.local',
          '--contact-points',
          secure.contactPoints[0]!,
          '--user',
          'bob',
          '--format',
          'csv',
        ],
        { env: { CQLWIRE_PASSWORD: 'right-one' } },
      );
      expect(ok.out).toBe('release_version\r\n5.0.2\r\n');
    } finally {
      await secure.stop();
    }
  });
});
