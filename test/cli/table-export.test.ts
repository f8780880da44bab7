import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExportCheckpoint } from '../../src/cli/export-table-checkpoint.js';
import { runTableExportCommand, type TableExportIo } from '../../src/cli/export-table-command.js';
import { exportShard } from '../../src/cli/export-table-run.js';
import { Consistency } from '../../src/protocol/consistency.js';
import { itemRow, type ScanCluster, startScanCluster } from '../scan/support/scan-cluster.js';

/** A Writable that keeps what it is given; `onWrite` sees every chunk. */
class Collector extends Writable {
  text = '';
  isTTY = false;
  constructor(private readonly onWrite?: (text: string) => void) {
    super({ decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    const s = chunk.toString();
    this.text += s;
    this.onWrite?.(s);
    callback();
  }
}

const PARTITIONS = 600;
const PER_PARTITION = 5;
const ROWS = PARTITIONS * PER_PARTITION;

let c: ScanCluster;
let dir: string;
/** Every row of scans.items as its CSV line (pk1,pk2,ck,v), sorted. */
let expected: string[];

beforeAll(async () => {
  c = await startScanCluster({
    server: { nodes: 3, tokensPerNode: 4 },
    partitions: PARTITIONS,
    rowsPerPartition: PER_PARTITION,
  });
  expected = [];
  for (let i = 0; i < ROWS; i++) {
    const r = itemRow(i, PER_PARTITION);
    expected.push(`${r.pk1},${r.pk2},${r.ck},${r.v}`);
  }
  expected.sort();
  dir = mkdtempSync(join(tmpdir(), 'cqlwire-table-export-'));
});

afterAll(async () => {
  await c.close();
  rmSync(dir, { recursive: true, force: true });
});

async function exportTable(
  args: string[],
  extra: Partial<TableExportIo> = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Collector();
  const stderr = (extra.stderr as Collector | undefined) ?? new Collector();
  const code = await runTableExportCommand(
    ['--table', 'scans.items', '--contact-points', c.server.contactPoints.join(','), ...args],
    { stdout, env: {}, ...extra, stderr },
  );
  return { code, out: stdout.text, err: stderr.text };
}

/** The data lines of a CSV export (CRLF-separated), header left out, sorted. */
function dataLines(text: string, header = true): string[] {
  const lines = text.split('\r\n');
  expect(lines.pop()).toBe('');
  if (header) expect(lines.shift()).toBe('pk1,pk2,ck,v');
  return lines.sort();
}

describe('cqlwire export --table (whole table in parallel token ranges)', () => {
  it('--parallel 4 on 3 nodes writes every row exactly once, and a complete checkpoint', async () => {
    const out = join(dir, 'all.csv');
    const r = await exportTable(['--parallel', '4', '--fetch-size', '250', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`^exported 3,000 rows of scans.items to ${out} in `));
    expect(dataLines(readFileSync(out, 'utf8'))).toEqual(expected);
    const cp = readExportCheckpoint(`${out}.checkpoint.json`)!;
    expect([cp.complete, cp.rowsWritten, cp.outBytes]).toEqual([true, ROWS, readFileSync(out).length]);
  });

  it('NDJSON to stdout, with --columns', async () => {
    const r = await exportTable(['--columns', 'pk2,ck', '--format', 'ndjson', '--parallel', '3']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n').sort();
    const want = expected.map((l) => {
      const [, pk2, ck] = l.split(',');
      return `{"pk2":${JSON.stringify(pk2)},"ck":${ck}}`;
    });
    expect(lines).toEqual(want.sort());
  });

  it('resume after a stop at a random page appends exactly the missing rows (header not repeated)', async () => {
    const out = join(dir, 'resumed.csv');
    const checkpoint = join(dir, 'resumed.json');
    const stopAt = 1 + Math.floor(Math.random() * 8);
    const abort = new AbortController();
    let pages = 0;
    const first = await exportShard(
      c.session,
      {
        table: 'scans.items',
        columns: undefined,
        parallel: 4,
        splits: 24,
        shard: undefined,
        fetchSize: 100,
        timeoutMs: 10_000,
        consistency: Consistency.LOCAL_ONE,
        format: 'csv',
        nullText: undefined,
        header: true,
        out,
        checkpoint,
        resume: false,
      },
      {
        signal: abort.signal,
        onPage: () => {
          if (++pages === stopAt) abort.abort(new Error('interrupted (SIGINT)'));
        },
      },
    );
    expect(first.status).toBe('failed');
    const cp = readExportCheckpoint(checkpoint)!;
    expect(cp.complete).toBe(false);
    expect(cp.scan.pagesFetched).toBe(stopAt);
    const written = cp.rowsWritten;
    expect(dataLines(readFileSync(out, 'utf8')).length).toBe(written);
    // as if killed after a page reached the file but before its checkpoint did
    appendFileSync(out, '9,torn,9,row written after the checkpoint\r\n');
    const second = await exportTable(['--parallel', '2', '--out', out, '--checkpoint', checkpoint, '--resume']);
    expect(second.code).toBe(0);
    expect(second.err).toContain(`(${(ROWS - written).toLocaleString('en-US')} in this run)`);
    expect(dataLines(readFileSync(out, 'utf8'))).toEqual(expected);
    // a second --resume of a complete export writes nothing
    const third = await exportTable(['--out', out, '--checkpoint', checkpoint, '--resume']);
    expect([third.code, third.err]).toEqual([
      0,
      'cqlwire export: the export in the checkpoint is already complete (3,000 rows); nothing to do\n',
    ]);
    expect(dataLines(readFileSync(out, 'utf8'))).toEqual(expected);
  });

  it('a failing range leaves a valid checkpoint and says how to resume; --resume then completes', async () => {
    const out = join(dir, 'failed.csv');
    c.server.prime({ when: { query: 'FROM scans.items', afterPages: 2 }, then: { error: { code: 'SERVER_ERROR' } } });
    let failed;
    try {
      failed = await exportTable(['--parallel', '2', '--fetch-size', '50', '--splits', '12', '--out', out]);
    } finally {
      c.server.clearPrimes();
    }
    expect(failed.code).toBe(1);
    const lines = failed.err.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^cqlwire export: failed after [\d,]+ rows written: /);
    expect(lines[1]).toBe(
      `the checkpoint (${out}.checkpoint.json) holds the position after the last row written; continue with the same command and --resume`,
    );
    const cp = readExportCheckpoint(`${out}.checkpoint.json`)!;
    expect(cp.complete).toBe(false);
    expect(dataLines(readFileSync(out, 'utf8')).length).toBe(cp.rowsWritten);
    // without --resume the unfinished export is not overwritten
    const again = await exportTable(['--out', out]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('holds the checkpoint of an unfinished export of scans.items');
    const resumed = await exportTable(['--parallel', '2', '--fetch-size', '100', '--out', out, '--resume']);
    expect(resumed.code).toBe(0);
    expect(dataLines(readFileSync(out, 'utf8'))).toEqual(expected);
  });

  it('Ctrl-C (the signal) stops after the page being written, with the resume advice', async () => {
    const out = join(dir, 'sigint.csv');
    const abort = new AbortController();
    const stderr = new Collector((text) => {
      if (text.startsWith('export: ')) abort.abort(new Error('interrupted (SIGINT)'));
    });
    const r = await exportTable(['--fetch-size', '200', '--splits', '12', '--progress', '--out', out], {
      stderr,
      signal: abort.signal,
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^export: 200 rows {2}1 pages {2}ranges 0\/12 {2}/);
    expect(r.err).toMatch(/\ncqlwire export: stopped after 200 rows written: interrupted \(SIGINT\)\n/);
    expect(readExportCheckpoint(`${out}.checkpoint.json`)!.rowsWritten).toBe(200);
    const resumed = await exportTable(['--fetch-size', '200', '--out', out, '--resume']);
    expect(resumed.code).toBe(0);
    expect(dataLines(readFileSync(out, 'utf8'))).toEqual(expected);
  });

  it('shards 1/3, 2/3 and 3/3 together are the table', async () => {
    const parts: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const out = join(dir, `shard-${i}.csv`);
      const r = await exportTable(['--shard', `${i}/3`, '--parallel', '2', '--out', out]);
      expect(r.code).toBe(0);
      const lines = dataLines(readFileSync(out, 'utf8'));
      expect(lines.length).toBeGreaterThan(0);
      parts.push(...lines);
    }
    expect(parts.sort()).toEqual(expected);
  });

  it('--workers 2 writes two part files whose union is the table', async () => {
    const out = join(dir, 'workers.csv');
    const r = await exportTable(['--workers', '2', '--parallel', '2', '--out', out]);
    expect(r.err).toMatch(/^exported 3,000 rows of scans.items to 2 part files .*workers\.part-0001\.csv\.\.\. in /);
    expect(r.code).toBe(0);
    const one = dataLines(readFileSync(join(dir, 'workers.part-0001.csv'), 'utf8'));
    const two = dataLines(readFileSync(join(dir, 'workers.part-0002.csv'), 'utf8'));
    expect(one.length).toBeGreaterThan(0);
    expect(two.length).toBeGreaterThan(0);
    expect([...one, ...two].sort()).toEqual(expected);
    expect(readExportCheckpoint(join(dir, 'workers.csv.checkpoint.part-0002.json'))!.complete).toBe(true);
  }, 30_000);

  it('--workers 2 stopped by Ctrl-C resumes every part: the union is the table', async () => {
    const out = join(dir, 'workers-stop.csv');
    const abort = new AbortController();
    const stderr = new Collector((text) => {
      if (text.startsWith('export: ')) abort.abort(new Error('interrupted (SIGINT)'));
    });
    const stopped = await exportTable(['--workers', '2', '--fetch-size', '100', '--progress', '--out', out], {
      stderr,
      signal: abort.signal,
    });
    expect(stopped.code).toBe(1);
    expect(stopped.err).toContain(
      `the checkpoints (${join(dir, 'workers-stop.csv.checkpoint.part-0001.json')}...) hold the position after the last row written; continue with the same command and --resume`,
    );
    const partial = [1, 2].map(
      (k) => readExportCheckpoint(join(dir, `workers-stop.csv.checkpoint.part-000${k}.json`))!,
    );
    expect(partial.some((cp) => !cp.complete)).toBe(true);
    const resumed = await exportTable(['--workers', '2', '--fetch-size', '100', '--out', out, '--resume']);
    expect(resumed.code).toBe(0);
    const one = dataLines(readFileSync(join(dir, 'workers-stop.part-0001.csv'), 'utf8'));
    const two = dataLines(readFileSync(join(dir, 'workers-stop.part-0002.csv'), 'utf8'));
    expect([...one, ...two].sort()).toEqual(expected);
  }, 30_000);

  it('an unknown table or column is refused with the schema in the message (exit 2)', async () => {
    const r = await exportTable(['--columns', 'pk1,nope', '--out', join(dir, 'x.csv')]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('cqlwire export: scans.items has no column "nope"; its columns: pk1, pk2, ck, v\n');
  });
});

describe('cqlwire export --table: bad arguments are refused before connecting', () => {
  const cases: [string[], string][] = [
    [['--table', 'items'], "--table must name a table as KEYSPACE.TABLE, got 'items'"],
    [['--table', 'ks.t', 'SELECT 1'], '--table exports a whole table: give no <query> with it'],
    [['--table', 'ks.t', '--parallel', '0'], '--parallel must be from 1 to 256, got 0'],
    [['--table', 'ks.t', '--shard', '4/3'], "--shard must be I/N with 1 <= I <= N (e.g. --shard 2/3), got '4/3'"],
    [['--table', 'ks.t', '--shard', '1/2', '--workers', '2', '--out', 'f'], '--shard and --workers cannot be combined'],
    [['--table', 'ks.t', '--workers', '2'], '--workers writes one part file per worker: give --out FILE'],
    [['--table', 'ks.t', '--resume'], '--resume needs --checkpoint FILE'],
    [['--table', 'ks.t', '--columns', 'a,,b'], '--columns must be a comma-separated list of column names'],
    [['--table', 'ks.t', '--format', 'xml'], "--format must be csv or ndjson, got 'xml'"],
  ];
  for (const [args, message] of cases) {
    it(args.slice(2).join(' ') || args.join(' '), async () => {
      const stderr = new Collector();
      let connected = false;
      const code = await runTableExportCommand([...args, '--contact-points', '127.0.0.1'], {
        stdout: new Collector(),
        stderr,
        env: {},
        connect: () => {
          connected = true;
          throw new Error('must not connect');
        },
      });
      expect(code).toBe(2);
      expect(connected).toBe(false);
      expect(stderr.text.split('\n')[0]).toContain(`cqlwire export: ${message}`);
    });
  }
});
