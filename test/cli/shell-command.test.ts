import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runShellCommand } from '../../src/cli/shell-command.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

let server: EmbeddedServer;
let cp: string;

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  cp = server.contactPoints[0]!;
});

afterAll(async () => {
  await server?.stop();
});

/** Runs the shell over `lines` (not a terminal: no history, no line editing); returns its output. */
async function shell(lines: string[], argv: string[] = []): Promise<{ code: number; out: string }> {
  const input = new PassThrough();
  const output = new Collector();
  const done = runShellCommand(['--contact-points', cp, ...argv], { input, output, terminal: false, env: {} });
  input.end(`${lines.join('\n')}\n`);
  const code = await done;
  return { code, out: output.text };
}

describe('cqlwire shell', () => {
  it('runs statements that end with ; over several lines, with USE changing the prompt', async () => {
    const { code, out } = await shell([
      "CREATE KEYSPACE sh WITH replication = {'class': 'SimpleStrategy',",
      "  'replication_factor': 1};",
      'USE sh;',
      'CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t (id, v) VALUES (1, $$one; two$$);',
      'SELECT * FROM t;',
      'EXIT',
    ]);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        `Connected to ${cp} (cqlwire shell). Use HELP for help.`,
        'cqlwire>    ...> cqlwire> cqlwire:sh> cqlwire:sh> ',
        ' id | v',
        '----+----------',
        '  1 | one; two',
        '',
        '(1 rows)',
        'cqlwire:sh> ',
      ].join('\n'),
    );
  });

  it('CONSISTENCY, EXPAND and PAGING change how the next statements run and print', async () => {
    server.execute(
      "CREATE KEYSPACE IF NOT EXISTS sp WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    );
    server.execute('CREATE TABLE IF NOT EXISTS sp.p (k int PRIMARY KEY)');
    server.load('sp', 'p', { count: 3, generate: (i) => ({ k: i }) });
    const { out } = await shell([
      'CONSISTENCY',
      'consistency quorum;',
      'EXPAND ON',
      'SELECT k FROM sp.p WHERE k = 1;',
      'EXPAND off',
      'PAGING',
      'PAGING 2',
      'SELECT k FROM sp.p;',
      '',
      'PAGING OFF',
      'CONSISTENCY MOST',
    ]);
    expect(out).toContain('cqlwire> Current consistency level is LOCAL_ONE.\n');
    expect(out).toContain('cqlwire> Consistency level set to QUORUM.\n');
    expect(out).toContain('\n@ Row 1\n---+---\n k | 1\n\n(1 rows)\n');
    expect(out).toContain('cqlwire> Expanded output is disabled.\n');
    expect(out).toContain(
      'cqlwire> Query paging is currently disabled. Use PAGING ON or PAGING OFF.\nPage size: 100\n',
    );
    expect(out).toContain('cqlwire> Query paging is enabled.\nPage size: 2\n');
    expect(out).toMatch(/\n k\n---\n \d\n \d\n---MORE---\n k\n---\n \d\n\n\(3 rows\)\n/);
    expect(out).toContain('cqlwire> Query paging is disabled.\n');
    expect(out).toContain(
      `cqlwire> CONSISTENCY must be one of ANY, ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, EACH_QUORUM, SERIAL, LOCAL_SERIAL, LOCAL_ONE, got 'MOST'\n`,
    );
  });

  it('DESCRIBE reads the schema metadata', async () => {
    server.execute(
      "CREATE KEYSPACE IF NOT EXISTS sd WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    );
    server.execute(
      'CREATE TABLE IF NOT EXISTS sd.events (day text, at timestamp, what text, PRIMARY KEY (day, at)) WITH CLUSTERING ORDER BY (at DESC)',
    );
    const { out } = await shell([
      'DESCRIBE KEYSPACES',
      'USE sd;',
      'DESC TABLES',
      'DESCRIBE TABLE events;',
      'DESCRIBE TABLE sd.nope',
      'DESCRIBE KEYSPACE',
    ]);
    expect(out).toMatch(/cqlwire> .*\bsd\b.*\n/);
    expect(out).toContain('cqlwire:sd> events\n');
    expect(out).toContain(
      'cqlwire:sd> CREATE TABLE sd.events (\n    day text,\n    at timestamp,\n    what text,\n    PRIMARY KEY (day, at)\n) WITH CLUSTERING ORDER BY (at DESC)\n',
    );
    expect(out).toContain("cqlwire:sd> Table 'sd.nope' not found.\n");
    expect(out).toContain(
      "cqlwire:sd> CREATE KEYSPACE sd WITH replication = {'class': 'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '1'} AND durable_writes = true;\n\nCREATE TABLE sd.events (\n",
    );
  });

  it('a failing statement prints its error and the shell goes on', async () => {
    const { code, out } = await shell(['SELEKT 1;', 'SELECT release_version FROM system.local;', 'QUIT']);
    expect(code).toBe(0);
    expect(out).toContain(
      "cqlwire> CqlSyntaxError: Server error SYNTAX_ERROR (0x2000): line 1:0 no viable alternative at input 'SELEKT'",
    );
    expect(out).toContain(' release_version\n-----------------\n           5.0.2\n');
  });

  it('HELP lists the shell commands; a bad flag is a usage error', async () => {
    expect((await shell(['HELP'])).out).toContain('DESCRIBE TABLE [ks.]table      CQL to create the table\n');
    const output = new Collector();
    const code = await runShellCommand(['--bogus'], { input: new PassThrough(), output, terminal: false, env: {} });
    expect(code).toBe(2);
    expect(output.text).toBe("cqlwire shell: Unknown option '--bogus'\n");
  });

  // a real terminal: util-linux `script` gives the shell a pseudo-terminal
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)(
    'works on a real terminal (through script(1))',
    async () => {
      const history = join(mkdtempSync(join(tmpdir(), 'cqlwire-shell-')), 'history');
      const command = `${process.execPath} --import tsx src/cli/cqlwire.ts shell --history ${history} --contact-points ${cp}`;
      const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
        cwd: ROOT,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let sent = 0;
      let promptsBefore = 0;
      const prompts = (): number => out.split('cqlwire> ').length - 1;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // typed as a user would: a statement over two lines once the prompt shows, EXIT after the result
        if (sent === 0 && out.includes('cqlwire> ')) {
          sent = 1;
          child.stdin.write('SELECT release_version\r FROM system.local;\r');
        } else if (sent === 1 && out.includes('(1 rows)')) {
          sent = 2;
          promptsBefore = prompts();
          child.stdin.write("CREATE ROLE r WITH PASSWORD = 'se-cret';\r");
        } else if (sent === 2 && prompts() > promptsBefore) {
          // the prompt after its answer (a syntax error on the embedded server)
          sent = 3;
          child.stdin.write('EXIT\r');
        }
      });
      const code = await new Promise<number | null>((resolve) => {
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('exit', (c) => {
          clearTimeout(killer);
          resolve(c);
        });
      });
      expect(code).toBe(0);
      expect(out).toContain('   ...> ');
      expect(out).toContain("(statement: CREATE ROLE r WITH PASSWORD = '***')");
      expect(out).toMatch(/ release_version\r?\n-----------------\r?\n {11}5\.0\.2\r?\n/);
      // the history file keeps the lines typed, oldest first, but not the one with a password
      expect(readFileSync(history, 'utf8')).toBe('SELECT release_version\n FROM system.local;\nEXIT\n');
    },
    30_000,
  );
});
