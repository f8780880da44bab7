import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

describe('examples/scan-table.ts runs as written against the embedded server', () => {
  it('scans, pages by range, resumes from a checkpoint, shards, and resumes after an abort', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CQLWIRE_EXAMPLE_ROWS: '2000' };
    delete env.CQLWIRE_CONTACT_POINTS;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join('examples', 'scan-table.ts')], {
      cwd: root,
      env,
      timeout: 30_000,
    });
    expect(stdout.trimEnd().split('\n')).toEqual([
      'scan: 2000 users, 1333 active, 16/16 ranges',
      'pages: 2000 rows from 8 token ranges',
      'resume: stopped after 500 rows, resumed for 1500 more, 0 read twice',
      'shards: 2000 rows in 3 shards (of 2000)',
      'abort: StreamError after 250 rows (Error: time is up), resumed: 2000 rows in all',
    ]);
  });
});
