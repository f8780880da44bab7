import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountIo, runCountCommand } from '../../src/cli/count-command.js';
import { itemRow, itemToken, type ScanCluster, startScanCluster } from '../scan/support/scan-cluster.js';

class Collector extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: string | Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    callback();
  }
}

const PARTITIONS = 500;
const PER_PARTITION = 4;
const ROWS = PARTITIONS * PER_PARTITION;
const MIN = -(2n ** 63n);

let c: ScanCluster;
/** The token of every row's partition. */
let tokens: bigint[];

beforeAll(async () => {
  c = await startScanCluster({
    server: { nodes: 3, tokensPerNode: 4 },
    replication: "{'class': 'SimpleStrategy', 'replication_factor': 2}",
    replicasPerRange: 2,
    partitions: PARTITIONS,
    rowsPerPartition: PER_PARTITION,
  });
  tokens = [];
  for (let i = 0; i < ROWS; i++) {
    const r = itemRow(i, PER_PARTITION);
    tokens.push(itemToken(r.pk1, r.pk2));
  }
});

afterAll(async () => {
  await c.close();
});

async function count(
  args: string[],
  extra: Partial<CountIo> = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await runCountCommand([...args, '--contact-points', c.server.contactPoints.join(',')], {
    stdout,
    stderr,
    env: {},
    ...extra,
  });
  return { code, out: stdout.text, err: stderr.text };
}

/** True when (start, end] holds t; an end of -2^63 is the end of the ring, start == end the whole ring. */
function inRange(start: bigint, end: bigint, t: bigint): boolean {
  if (start === end) return true;
  if (end === MIN) return t > start;
  return start < end ? t > start && t <= end : t > start || t <= end;
}

describe('cqlwire count', () => {
  it('prints the row count, read from the key columns only', async () => {
    const log: string[] = [];
    c.server.clearActivityLog();
    const r = await count(['scans.items', '--parallel', '4']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`${ROWS}\n`);
    expect(r.err).toMatch(/^counted 2,000 rows of scans\.items in [\d.]+ s \([\d,]+ rows\/s\)\n$/);
    for (const entry of c.server.activityLog) {
      const q = entry.query;
      if (q?.includes('FROM scans.items') === true) log.push(q);
    }
    expect(log.length).toBeGreaterThan(0);
    for (const q of log) expect(q).toMatch(/^SELECT pk1, pk2, ck FROM scans\.items WHERE /);
  });

  it('--by range: each range the count of rows whose token it holds; together the table', async () => {
    const r = await count(['scans.items', '--by', 'range', '--fetch-size', '300']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines.shift()).toBe('range_start\trange_end\trows');
    expect(lines.pop()).toBe(String(ROWS));
    let sum = 0;
    for (const line of lines) {
      const [start, end, n] = line.split('\t');
      const want = tokens.filter((t) => inRange(BigInt(start!), BigInt(end!), t)).length;
      expect(Number(n)).toBe(want);
      sum += Number(n);
    }
    expect(sum).toBe(ROWS);
  });

  it('--by host: each node the rows of the ranges it holds a replica of (rows x RF in all)', async () => {
    const r = await count(['scans.items', '--by', 'host']);
    expect(r.code).toBe(0);
    const want = new Map<string, number>();
    const ring = c.cluster.metadata.tokenRanges('scans');
    for (const t of tokens) {
      const range = ring.find((x) => inRange(x.start, x.end, t))!;
      for (const h of range.replicas) want.set(h.endpoint, (want.get(h.endpoint) ?? 0) + 1);
    }
    const expected = [...want].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([h, n]) => `${h}\t${n}`);
    expect(r.out).toBe(['host\trows', ...expected, String(ROWS), ''].join('\n'));
    expect([...want.values()].reduce((a, b) => a + b, 0)).toBe(2 * ROWS);
  });

  it('a quoted, case-sensitive table name', async () => {
    await c.session.execute('CREATE TABLE scans."CaseT" ("Key" int PRIMARY KEY, v text)');
    c.server.load('scans', 'CaseT', { count: 70, generate: (i) => ({ Key: i, v: `v${i}` }) });
    const r = await count(['scans."CaseT"']);
    expect([r.code, r.out]).toEqual([0, '70\n']);
    expect(r.err).toMatch(/^counted 70 rows of scans\.CaseT in /);
  });

  it('an unknown table: exit 2 with the name', async () => {
    const r = await count(['scans.nope']);
    expect([r.code, r.err]).toEqual([2, 'cqlwire count: no table scans.nope in the schema\n']);
  });
});

describe('cqlwire count: bad arguments are refused before connecting', () => {
  const cases: [string[], string][] = [
    [[], 'expected exactly one KS.TABLE argument, got 0'],
    [['items'], '"items" names no keyspace and the session has none'],
    [['ks.t', '--by', 'dc'], "--by must be range or host, got 'dc'"],
    [['ks.t', '--parallel', '1000'], '--parallel must be from 1 to 256, got 1000'],
    [['ks.t', '--fetch-size', 'x'], "--fetch-size must be a positive integer, got 'x'"],
  ];
  for (const [args, message] of cases) {
    it(args.join(' ') || '(no table)', async () => {
      const stderr = new Collector();
      let connected = false;
      const code = await runCountCommand([...args, '--contact-points', '127.0.0.1'], {
        stdout: new Collector(),
        stderr,
        env: {},
        connect: () => {
          connected = true;
          throw new Error('must not connect');
        },
      });
      expect([code, connected]).toEqual([2, false]);
      expect(stderr.text.split('\n')[0]).toContain(`cqlwire count: ${message}`);
    });
  }
});
