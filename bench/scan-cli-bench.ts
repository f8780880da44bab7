/**
 * The scan part's command-line runs: `cqlwire export` of the whole table, run as the user runs it
 * (a child process through tsx, CSV into a temporary file), timed by the command's own summary
 * line (from the connection to the last row written; worker threads' start included). Each run's
 * output is counted: a figure of an export that lost or repeated rows is refused.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../src/cli/cqlwire.ts', import.meta.url));

/** One export run. */
export interface CliExportRun {
  label: string;
  args: string[];
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

/** CSV data lines in a file (its CRLF count minus the header). */
function dataLines(path: string): number {
  const text = readFileSync(path);
  let n = 0;
  for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) n++;
  return n - 1;
}

/**
 * Runs `cqlwire export <args> --out <tmp>/out.csv --no-progress` against `contactPoint`; resolves
 * with the rows written (every output file's data lines) and the seconds the command reports.
 */
export async function runCliExport(
  label: string,
  args: readonly string[],
  contactPoint: string,
  expectedRows: number,
): Promise<CliExportRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cqlwire-bench-export-'));
  try {
    const argv = [
      '--import',
      'tsx',
      CLI,
      'export',
      ...args,
      '--contact-points',
      contactPoint,
      '--out',
      join(dir, 'out.csv'),
      '--no-progress',
    ];
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr += s;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`cqlwire export ${args.join(' ')} exited ${String(code)}: ${stderr.trim()}`);
    const m = / in ([\d.]+) s \(/.exec(stderr);
    if (m === null) throw new Error(`cqlwire export ${args.join(' ')} printed no summary: ${stderr.trim()}`);
    let rows = 0;
    for (const f of readdirSync(dir)) if (f.endsWith('.csv')) rows += dataLines(join(dir, f));
    if (rows !== expectedRows)
      throw new Error(`cqlwire export ${args.join(' ')} wrote ${rows} rows, not ${expectedRows}`);
    const seconds = Number(m[1]);
    return { label, args: [...args], rows, seconds, rowsPerSecond: rows / seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
