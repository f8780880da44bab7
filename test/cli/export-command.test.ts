import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExportIo } from '../../src/cli/export-command.js';
import { runExportCommand } from '../../src/cli/export-command.js';
import { Uuid } from '../../src/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { parseCsv } from './support/csv-parser.js';

/** A Writable that keeps what it is given; `delayMs` makes it a slow sink. */
class Collector extends Writable {
  text = '';
  /** The most bytes already buffered (besides the chunk being written) when a chunk was written. */
  maxQueuedBefore = 0;
  isTTY = false;
  constructor(
    private readonly delayMs = 0,
    highWaterMark = 16 * 1024,
  ) {
    super({ highWaterMark, decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    const s = chunk.toString();
    this.maxQueuedBefore = Math.max(this.maxQueuedBefore, this.writableLength - Buffer.byteLength(s));
    this.text += s;
    if (this.delayMs > 0) setTimeout(callback, this.delayMs);
    else callback();
  }
}

let server: EmbeddedServer;
let contactPoint: string;

async function exportWith(
  argv: string[],
  extra: Partial<ExportIo> = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdout = (extra.stdout as Collector | undefined) ?? new Collector();
  const stderr = new Collector();
  const code = await runExportCommand(argv, { stdout, stderr, env: {}, ...extra });
  return { code, out: stdout.text, err: stderr.text };
}

const BIG_ROWS = 250;
const bigText = (i: number): string | null =>
  i % 10 === 3 ? null : i % 10 === 5 ? '' : i % 10 === 7 ? `line ${i}\r\n"quoted", ok` : `v${i}`;

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  contactPoint = server.contactPoints[0]!;
  server.execute("CREATE KEYSPACE ex WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  server.execute('CREATE TYPE ex.addr (street text, zip int)');
  server.execute(
    'CREATE TABLE ex.mixed (id int PRIMARY KEY, a frozen<addr>, bl blob, l list<text>, m map<text, int>, n int, s set<int>, t text, ts timestamp, tup tuple<int, text>, u uuid, big bigint)',
  );
  server.load('ex', 'mixed', [
    {
      id: 1,
      a: { street: 'Rue "A", 1', zip: 75001 },
      bl: Buffer.from([0xca, 0xfe]),
      l: ['x', 'y,z'],
      m: new Map([['k', 1]]),
      n: 42,
      s: new Set([1, 2, 3]),
      t: 'He said "hi", then\nleft\r\nok\r',
      ts: new Date(Date.UTC(2024, 1, 29, 12)),
      tup: [1, 'a'],
      u: Uuid.fromString('0a6b6c2d-1e2f-4a5b-8c9d-0e1f2a3b4c5d'),
      big: -9007199254740993n,
    },
    { id: 2, t: '' },
    { id: 3, t: 'Zoë — 東京 🚀', n: 0 },
  ]);
  server.execute('CREATE TABLE ex.big (id int PRIMARY KEY, v text)');
  server.load('ex', 'big', { count: BIG_ROWS, generate: (i) => ({ id: i, v: bigText(i) }) });
});

afterAll(async () => {
  await server.stop();
});

beforeEach(() => {
  server.clearPrimes();
});

const HEADER = ['id', 'a', 'big', 'bl', 'l', 'm', 'n', 's', 't', 'ts', 'tup', 'u'];
const EXPECTED_MIXED = new Map<string, (string | null)[]>([
  [
    '1',
    [
      '1',
      '{"street":"Rue \\"A\\", 1","zip":75001}',
      '-9007199254740993',
      '0xcafe',
      '["x","y,z"]',
      '{"k":1}',
      '42',
      '[1,2,3]',
      'He said "hi", then\nleft\r\nok\r',
      '2024-02-29T12:00:00.000Z',
      '[1,"a"]',
      '0a6b6c2d-1e2f-4a5b-8c9d-0e1f2a3b4c5d',
    ],
  ],
  ['2', ['2', null, null, null, null, null, null, null, '', null, null, null]],
  ['3', ['3', null, null, null, null, null, '0', null, 'Zoë — 東京 🚀', null, null, null]],
]);

describe('cqlwire export to CSV', () => {
  it('writes a CSV that a strict RFC 4180 parser reads back to the exact rows (quotes, commas, newlines, CR, non-ASCII, null vs "", collections, UDT, tuple, blob)', async () => {
    const { code, out, err } = await exportWith(['SELECT * FROM ex.mixed', '--contact-points', contactPoint]);
    expect(err).toMatch(/^exported 3 rows in 1 pages to stdout in /);
    expect(code).toBe(0);
    const [header, ...rows] = parseCsv(out);
    expect(header).toEqual(HEADER);
    expect(rows).toHaveLength(3);
    expect(new Map(rows.map((r) => [r[0]!, r]))).toEqual(EXPECTED_MIXED);
  });

  it('spells null as --null-text when given, keeping "" for the empty string', async () => {
    const { code, out } = await exportWith([
      'SELECT id, n, t FROM ex.mixed WHERE id = 2',
      '--contact-points',
      contactPoint,
      '--null-text',
      'NULL',
    ]);
    expect(code).toBe(0);
    expect(out).toBe('id,n,t\r\n2,NULL,""\r\n');
  });

  it('draws the progress line on stderr when stderr is a terminal, and ends it before the summary', async () => {
    const stdout = new Collector();
    const stderr = new Collector();
    stderr.isTTY = true;
    const code = await runExportCommand(
      ['SELECT * FROM ex.big', '--contact-points', contactPoint, '--fetch-size', '100'],
      { stdout, stderr, env: {} },
    );
    expect(code).toBe(0);
    expect(stderr.text).toMatch(/^\r\x1b\[2Kexport: 100 rows {2}1 pages {2}[\d,]+ rows\/s {2}RSS \d+ MiB {2}\d+\.\d s/);
    expect(stderr.text).toMatch(
      /\r\x1b\[2Kexport: 250 rows {2}3 pages [^\n]*\nexported 250 rows in 3 pages to stdout in /,
    );
  });

  it('writes a file given by --out', async () => {
    const files = new Map<string, Collector>();
    const { code, out } = await exportWith(
      ['SELECT id, t FROM ex.mixed WHERE id = 3', '--contact-points', contactPoint, '--out', 'x.csv'],
      {
        openOut: (path) => {
          const c = new Collector();
          files.set(path, c);
          return c;
        },
      },
    );
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(files.get('x.csv')?.text).toBe('id,t\r\n3,Zoë — 東京 🚀\r\n');
  });

  it('waits for the output: no page is written while the previous one is still buffered (slow sink)', async () => {
    const slow = new Collector(5, 64);
    const { code } = await exportWith(
      ['SELECT * FROM ex.big', '--contact-points', contactPoint, '--fetch-size', '20'],
      { stdout: slow },
    );
    expect(code).toBe(0);
    expect(slow.maxQueuedBefore).toBe(0);
    expect(parseCsv(slow.text)).toHaveLength(BIG_ROWS + 1);
  });

  it('on a failure after page 3 prints the paging state; resuming from it continues exactly after the last written row', async () => {
    const args = ['SELECT * FROM ex.big', '--contact-points', contactPoint, '--fetch-size', '20'];
    const full = await exportWith(args);
    expect(full.code).toBe(0);

    server.prime({
      when: { query: 'FROM ex.big', afterPages: 3 },
      then: { error: { code: 'SERVER_ERROR', message: 'primed failure' } },
    });
    const failed = await exportWith(args);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain(
      'cqlwire export: failed after 60 rows written: Server error SERVER_ERROR (0x0000): primed failure (statement: SELECT * FROM ex.big)\n',
    );
    const hex = /--resume-from ([0-9a-f]+)/.exec(failed.err)?.[1];
    expect(hex).toBeDefined();
    expect(parseCsv(failed.out)).toHaveLength(1 + 60);

    server.clearPrimes();
    const resumed = await exportWith([...args, '--resume-from', hex!]);
    expect(resumed.code).toBe(0);
    expect(resumed.out.startsWith('id,v')).toBe(false);
    expect(failed.out + resumed.out).toBe(full.out);
    const rows = parseCsv(full.out).slice(1);
    expect(rows.map((r) => Number(r[0])).sort((a, b) => a - b)).toEqual(Array.from({ length: BIG_ROWS }, (_, i) => i));
    for (const [id, v] of rows) expect(v).toBe(bigText(Number(id)));
  });

  it('when the very first page fails, says so and prints no paging state', async () => {
    server.prime({ when: { query: 'FROM ex.big' }, then: { error: { code: 'OVERLOADED', message: 'busy' } } });
    const failed = await exportWith(['SELECT * FROM ex.big', '--contact-points', contactPoint]);
    expect(failed.code).toBe(1);
    expect(failed.out).toBe('');
    expect(failed.err).toMatch(
      /^cqlwire export: failed after 0 rows written: .*busy.*\nno row was written; run the same export again\n$/,
    );
  });

  it('a statement the server refuses (syntax, invalid) is not suggested again as it is', async () => {
    server.prime({ when: { query: 'FROM ex.big', times: 1 }, then: { error: { code: 'INVALID', message: 'nope' } } });
    const invalid = await exportWith(['SELECT * FROM ex.big', '--contact-points', contactPoint]);
    expect(invalid.code).toBe(1);
    expect(invalid.err).toBe(
      'cqlwire export: failed after 0 rows written: Server error INVALID (0x2200): nope (statement: SELECT * FROM ex.big)\nno row was written\n',
    );
    const syntax = await exportWith(['SELEKT * FROM ex.big', '--contact-points', contactPoint]);
    expect(syntax.code).toBe(1);
    expect(syntax.err.endsWith('(statement: SELEKT * FROM ex.big)\nno row was written\n')).toBe(true);
    expect(syntax.err).toContain('Server error SYNTAX_ERROR (0x2000)');
  });
});

describe('cqlwire export stopped from outside', () => {
  it('an output that fails after the first page: exit 1 and the paging state after that page', async () => {
    let writes = 0;
    const kept: string[] = [];
    const failing = new Writable({
      decodeStrings: false,
      write(chunk: string, _enc, callback) {
        writes++;
        if (writes === 1) {
          kept.push(chunk);
          callback();
        } else callback(new Error('disk full'));
      },
    });
    const args = ['SELECT * FROM ex.big', '--contact-points', contactPoint, '--fetch-size', '20'];
    const failed = await exportWith([...args, '--out', 'f.csv'], { openOut: () => failing });
    expect(failed.code).toBe(1);
    expect(failed.err.split('\n')[0]).toBe('cqlwire export: failed after 20 rows written: disk full');
    const hex = /--resume-from ([0-9a-f]+)/.exec(failed.err)![1]!;
    const resumed = await exportWith([...args, '--resume-from', hex]);
    const full = await exportWith(args);
    expect(kept.join('') + resumed.out).toBe(full.out);
  });

  it('an aborted signal (Ctrl-C) stops the export with exit 1 and the resume point', async () => {
    const controller = new AbortController();
    const slow = new Collector(20, 64);
    let chunks = 0;
    const origWrite = slow._write.bind(slow);
    slow._write = (chunk, enc, callback) => {
      if (++chunks === 2) controller.abort(new Error('interrupted (SIGINT)'));
      origWrite(chunk, enc, callback);
    };
    const args = ['SELECT * FROM ex.big', '--contact-points', contactPoint, '--fetch-size', '20'];
    const stopped = await exportWith(args, { stdout: slow, signal: controller.signal });
    expect(stopped.code).toBe(1);
    expect(stopped.err.split('\n')[0]).toBe('cqlwire export: failed after 40 rows written: interrupted (SIGINT)');
    const hex = /--resume-from ([0-9a-f]+)/.exec(stopped.err)![1]!;
    const resumed = await exportWith([...args, '--resume-from', hex]);
    const full = await exportWith(args);
    expect(slow.text + resumed.out).toBe(full.out);
  });
});

describe('cqlwire export to NDJSON', () => {
  it('writes one JSON object per row with null, "", bigint as string and collections as JSON', async () => {
    const { code, out } = await exportWith([
      'SELECT * FROM ex.mixed',
      '--contact-points',
      contactPoint,
      '--format',
      'ndjson',
    ]);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    const byId = new Map(
      lines.map((l) => {
        const o = JSON.parse(l) as Record<string, unknown>;
        return [o.id, o];
      }),
    );
    expect(byId.get(1)).toEqual({
      id: 1,
      a: { street: 'Rue "A", 1', zip: 75001 },
      big: '-9007199254740993',
      bl: '0xcafe',
      l: ['x', 'y,z'],
      m: { k: 1 },
      n: 42,
      s: [1, 2, 3],
      t: 'He said "hi", then\nleft\r\nok\r',
      ts: '2024-02-29T12:00:00.000Z',
      tup: [1, 'a'],
      u: '0a6b6c2d-1e2f-4a5b-8c9d-0e1f2a3b4c5d',
    });
    expect(byId.get(2)).toEqual({
      id: 2,
      a: null,
      big: null,
      bl: null,
      l: null,
      m: null,
      n: null,
      s: null,
      t: '',
      ts: null,
      tup: null,
      u: null,
    });
    expect(Object.keys(byId.get(3)!)).toEqual(HEADER);
  });

  it('a resumed NDJSON export continues exactly after the last written row', async () => {
    const args = ['SELECT * FROM ex.big', '--contact-points', contactPoint, '--fetch-size', '25', '--format', 'ndjson'];
    const full = await exportWith(args);
    server.prime({
      when: { query: 'FROM ex.big', afterPages: 2 },
      then: { error: { code: 'SERVER_ERROR', message: 'primed' } },
    });
    const failed = await exportWith(args);
    expect(failed.code).toBe(1);
    expect(failed.out.split('\n')).toHaveLength(50 + 1);
    const hex = /--resume-from ([0-9a-f]+)/.exec(failed.err)![1]!;
    server.clearPrimes();
    const resumed = await exportWith([...args, '--resume-from', hex]);
    expect(resumed.code).toBe(0);
    expect(failed.out + resumed.out).toBe(full.out);
  });
});

describe('cqlwire export exit codes and help', () => {
  it('--help prints the usage on stdout and exits 0', async () => {
    const { code, out, err } = await exportWith(['--help']);
    expect(code).toBe(0);
    expect(out.startsWith('Usage: cqlwire export <query> --contact-points h1[,h2...] [options]\n')).toBe(true);
    expect(err).toBe('');
  });

  it.each([
    [[], 'expected exactly one <query> argument, got 0 (quote the query)'],
    [['SELECT 1'], '--contact-points is required (e.g. --contact-points 10.0.0.1,10.0.0.2)'],
    [['SELECT 1', '--contact-points', 'h', '--format', 'xml'], "--format must be csv or ndjson, got 'xml'"],
    [['SELECT 1', '--contact-points', 'h', '--fetch-size', '0'], '--fetch-size must be from 1 to 2147483647, got 0'],
    [
      ['SELECT 1', '--contact-points', 'h', '--resume-from', 'xyz'],
      '--resume-from must be the hexadecimal paging state printed by a failed export',
    ],
    [
      ['SELECT 1', '--contact-points', 'h', '--consistency', 'most'],
      "--consistency must be one of ANY, ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, EACH_QUORUM, SERIAL, LOCAL_SERIAL, LOCAL_ONE, got 'most'",
    ],
    [
      ['SELECT 1', '--contact-points', 'h', '--user', 'bob'],
      '--user bob needs a password: set CQLWIRE_PASSWORD (or pass --password)',
    ],
    [['SELECT 1', '--contact-points', 'h', '--bogus'], "Unknown option '--bogus'"],
  ])('a usage error exits 2 and says what is wrong: %j', async (argv, message) => {
    const { code, out, err } = await exportWith(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.split('\n')[0]).toBe(`cqlwire export: ${message}`);
  });

  it('an output file that cannot be opened exits 1 before anything is read', async () => {
    const { code, out, err } = await exportWith([
      'SELECT * FROM ex.big',
      '--contact-points',
      contactPoint,
      '--out',
      '/nonexistent-dir/x.csv',
    ]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(
      "cqlwire export: could not open /nonexistent-dir/x.csv: ENOENT: no such file or directory, open '/nonexistent-dir/x.csv'\n",
    );
  });

  it('a host that cannot be reached exits 1', async () => {
    const { code, err } = await exportWith(['SELECT 1', '--contact-points', '127.0.0.1:1']);
    expect(code).toBe(1);
    // the address once, not in the command's words, the cluster's and the socket's
    expect(err).toBe('cqlwire export: could not connect to 127.0.0.1:1: cannot connect: connect ECONNREFUSED\n');
  });

  it('a refused password exits 1 and the password appears nowhere in the output', async () => {
    const secure = await startEmbeddedServer({ port: 0, credentials: { username: 'bob', password: 'right-one' } });
    try {
      const password = 'wr0ng-S3cret-pw';
      const viaFlag = await exportWith([
        'SELECT 1',
        '--contact-points',
        secure.contactPoints[0]!,
        '--user',
        'bob',
        '--password',
        password,
      ]);
      expect(viaFlag.code).toBe(1);
      expect(viaFlag.err).toBe(
        `cqlwire export: could not connect: Authentication with ${secure.contactPoints[0]!} failed: Provided username bob and/or password are incorrect\n`,
      );
      expect(viaFlag.err + viaFlag.out).not.toContain(password);
      const viaEnv = await exportWith(['SELECT 1', '--contact-points', secure.contactPoints[0]!, '--user', 'bob'], {
        env: { CQLWIRE_PASSWORD: password },
      });
      expect(viaEnv.code).toBe(1);
      expect(viaEnv.err + viaEnv.out).not.toContain(password);
      const ok = await exportWith(
        ['SELECT release_version FROM system.local', '--contact-points', secure.contactPoints[0]!, '--user', 'bob'],
        { env: { CQLWIRE_PASSWORD: 'right-one' } },
      );
      expect(ok.code).toBe(0);
      expect(ok.out).toBe('release_version\r\n5.0.2\r\n');
    } finally {
      await secure.stop();
    }
  });
});
