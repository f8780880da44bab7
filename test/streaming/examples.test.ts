import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { range } from './support/fake-source.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cqlwire-examples-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs an example as a user would (tsx), against its own embedded server with 2,000 rows. */
async function example(name: string, args: string[] = []): Promise<string[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, CQLWIRE_EXAMPLE_ROWS: '2000' };
  delete env.CQLWIRE_CONTACT_POINTS;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join('examples', name), ...args], {
    cwd: root,
    env,
    timeout: 30_000,
  });
  return stdout.trimEnd().split('\n');
}

describe('the examples run as written against the embedded server', () => {
  it('streaming-basic: rows, prepared, pages, maxPages, progress, break, abort, streaming statement', async () => {
    expect(await example('streaming-basic.ts')).toEqual([
      'basic: 2000 users in 2 pages, 1333 active',
      'prepared: sensor s2 has 400 readings, mean 20.822',
      'page 1: 2000 rows, best score 99.9, total so far 2000',
      'maxPages: 200 rows in 2 pages; resume from pagingState available',
      'progress: 1:500 2:1000 3:1500 4:2000',
      'break: stopped after 150 rows; resume from pagingState and skip 50',
      'abort: StreamError after 2 pages / 200 rows (cause: enough)',
      'statement: 2000 emails in 1 pages of up to 2500',
    ]);
  });

  it('realtime-processing: five concurrent partition streams, windows and alerts', async () => {
    const lines = await example('realtime-processing.ts');
    expect(lines.slice(0, 5)).toEqual(
      ['s1', 's2', 's3', 's4', 's5'].map((s) => `${s}: 400 readings, 1 pages, 2 windows, 14 alerts`),
    );
    expect(lines[5]).toMatch(/^5 concurrent streams done in \d+ ms$/);
    expect(lines.length).toBe(6);
  });

  it('export-large-table: a CSV with a header and every row once', async () => {
    const out = join(dir, 'users.csv');
    const lines = await example('export-large-table.ts', [out]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(`^exported 2000 rows in 1 pages to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ rows/s\\)$`),
    );
    const csv = readFileSync(out, 'utf8').split('\r\n');
    expect(csv[0]).toBe('id,active,created_at,email,name,score');
    expect(csv[csv.length - 1]).toBe('');
    const rows = csv.slice(1, -1);
    expect(rows.map((l) => Number(l.split(',')[0])).sort((a, b) => a - b)).toEqual(range(0, 2000));
    expect(rows).toContain('769,true,2024-01-01T12:49:00.000Z,user769@example.com,User 769,45.3');
  });
});
