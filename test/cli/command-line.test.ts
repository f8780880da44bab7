import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { parseCsv } from './support/csv-parser.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a TypeScript entry point of the repository with tsx, as `npm run`/`npx tsx` would. */
function run(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const CQLWIRE = 'src/cli/cqlwire.ts';
let server: EmbeddedServer;
let dir: string;

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  server.execute("CREATE KEYSPACE cli WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  server.execute('CREATE TABLE cli.t (id int PRIMARY KEY, v text)');
  server.load('cli', 't', { count: 1200, generate: (i) => ({ id: i, v: i % 2 === 0 ? `a,"${i}"\n` : null }) });
  dir = mkdtempSync(join(tmpdir(), 'cqlwire-cli-'));
});

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the cqlwire command as a process', () => {
  it('--help lists every subcommand and exits 0; no command exits 2', async () => {
    const help = await run(CQLWIRE, ['--help']);
    expect(help.code).toBe(0);
    expect(
      help.out
        .split('\n')
        .filter((l) => /^ {2}\w/.test(l))
        .map((l) => l.trim().split(/\s+/)[0]),
    ).toEqual(expect.arrayContaining(['query', 'shell', 'server', 'export', 'demo', 'bench']));
    const none = await run(CQLWIRE, []);
    expect(none.code).toBe(2);
  });

  it.each([
    ['export', 'Usage: cqlwire export'],
    ['query', 'Usage: cqlwire query'],
    ['shell', 'Usage: cqlwire shell'],
    ['demo', 'Usage: cqlwire demo'],
    ['server', 'Usage: cqlwire server'],
  ])('%s --help prints its usage and exits 0', async (sub, first) => {
    const r = await run(CQLWIRE, [sub, '--help']);
    expect(r.code).toBe(0);
    expect(r.out.startsWith(first)).toBe(true);
  });

  it('bench --help passes through to the harness and exits 0', async () => {
    const r = await run(CQLWIRE, ['bench', '--help']);
    expect(r.code).toBe(0);
    expect(r.out.startsWith('Usage: npm run bench')).toBe(true);
  });

  it('export without a query exits 2 with a usage message on stderr', async () => {
    const r = await run(CQLWIRE, ['export', '--contact-points', server.contactPoints[0]!]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe('cqlwire export: expected exactly one <query> argument, got 0 (quote the query)');
  });

  it('export writes the CSV to stdout and to --out FILE, every row once, and exits 0', async () => {
    const args = [
      'export',
      'SELECT id, v FROM cli.t',
      '--contact-points',
      server.contactPoints[0]!,
      '--fetch-size',
      '500',
    ];
    const toStdout = await run(CQLWIRE, args);
    expect(toStdout.code).toBe(0);
    expect(toStdout.err).toMatch(/^exported 1,200 rows in 3 pages to stdout in \d+\.\d s \([\d,]+ rows\/s\)\n$/);
    const rows = parseCsv(toStdout.out);
    expect(rows[0]).toEqual(['id', 'v']);
    expect(
      rows
        .slice(1)
        .map((r) => Number(r[0]))
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 1200 }, (_, i) => i));
    for (const [id, v] of rows.slice(1)) expect(v).toBe(Number(id) % 2 === 0 ? `a,"${id}"\n` : null);

    const file = join(dir, 'out.csv');
    const toFile = await run(CQLWIRE, [...args, '--out', file]);
    expect(toFile.code).toBe(0);
    expect(toFile.out).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(toStdout.out);
  });

  it('npm run demo (src/cli/demo.ts) with a small table exits 0 and prints the execute vs executeStream comparison', async () => {
    const r = await run('src/cli/demo.ts', [], { CQLWIRE_DEMO_ROWS: '30000' });
    expect(r.err).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(r.out).toContain('cqlwire demo: 30,000 rows, 5,000 rows per page, embedded server on loopback\n');
    expect(r.out).toMatch(
      /\n {2}execute\(\) \+ all\(\) +\d+\.\d s +[\d,]+ +\d+ MiB +\+\d+ MiB\n {2}executeStream\(\) +\d+\.\d s +[\d,]+ +\d+ MiB +\+\d+ MiB\n/,
    );
    // the plain (non-TTY) progress lines of the streamed read end with the full count
    expect(r.err).toMatch(/executeStream: 30,000 rows {2}6 pages /);
  }, 60_000);
});
