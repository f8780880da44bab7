import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../../bench/raw-client.js';
import { parseServerArgs, runServerCommand } from '../../../src/cli/server.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import { until } from '../../support/until.js';

const ENTRY = join(dirname(fileURLToPath(import.meta.url)), '../../../src/cli/cqlwire.ts');
const children: ChildProcess[] = [];

/** Runs `cqlwire ...` under tsx; collects output; resolves on exit (bounded by the test timeout). */
function cqlwire(args: string[]): {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr.on('data', (b: Buffer) => {
    err += b.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('cqlwire server: arguments', () => {
  it('defaults to one node on port 9042; takes --nodes, --port (also as --x=v) and --auth user:pass', () => {
    expect(parseServerArgs([])).toEqual({ kind: 'run', options: { nodes: 1, port: 9042 } });
    expect(parseServerArgs(['--nodes', '3', '--port=0', '--auth', 'cassandra:se:cret'])).toEqual({
      kind: 'run',
      options: { nodes: 3, port: 0, credentials: { username: 'cassandra', password: 'se:cret' } },
    });
    expect(parseServerArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--nodes', 'x'], "--nodes must be an integer, got 'x'"],
    [['--nodes', '0'], '--nodes must be from 1 to 254, got 0'],
    [['--port', '70000'], '--port must be from 0 to 65535, got 70000'],
    [['--auth', 'nopass'], "--auth must be user:pass, got 'nopass'"],
    [['--port'], '--port needs a value'],
    [['--verbose'], "unknown argument '--verbose'"],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(parseServerArgs(argv)).toEqual({ kind: 'usage-error', message });
  });

  it('exit codes: 2 for a usage error (nothing started), 1 when the server cannot start, 0 after a clean stop', async () => {
    const lines: string[] = [];
    const io = (start: () => Promise<{ contactPoints: string[]; stop(): Promise<void> }>) => ({
      start,
      out: (l: string) => lines.push(`out ${l}`),
      err: (l: string) => lines.push(`err ${l}`),
      stopSignal: async () => 'SIGTERM',
    });
    let started = 0;
    expect(
      await runServerCommand(
        ['--nodes', 'x'],
        io(async () => {
          started++;
          return { contactPoints: [], stop: async () => undefined };
        }),
      ),
    ).toBe(2);
    expect(started).toBe(0);
    expect(
      await runServerCommand(
        [],
        io(async () => {
          throw new Error('listen EADDRINUSE 127.0.0.1:9042');
        }),
      ),
    ).toBe(1);
    expect(lines).toContain('err cqlwire server: could not start: listen EADDRINUSE 127.0.0.1:9042');
    lines.length = 0;
    let stopped = 0;
    expect(
      await runServerCommand(
        ['--port', '0'],
        io(async () => ({
          contactPoints: ['127.0.0.1:1234'],
          stop: async () => {
            stopped++;
          },
        })),
      ),
    ).toBe(0);
    expect(lines[0]).toBe('out contact points: 127.0.0.1:1234');
    expect(stopped).toBe(1);
  });
});

describe('cqlwire server: the process', () => {
  it('prints its contact points first, serves on them, and exits 0 on SIGTERM', async () => {
    const run = cqlwire(['server', '--nodes', '2', '--port', '0']);
    await until(() => run.out().includes('\n'), 'the first line', 20_000, 25);
    const first = run.out().split('\n')[0]!;
    const m = /^contact points: 127\.0\.0\.1:(\d+),127\.0\.0\.2:(\d+)$/.exec(first);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(m![2]);
    const c = await RawClient.open({ port: Number(m![1]), host: '127.0.0.2', version: 5, record: true });
    try {
      const { message } = await c.request({ opcode: Opcode.OPTIONS });
      expect(message.opcode).toBe(Opcode.SUPPORTED);
    } finally {
      c.close();
    }
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.err()).toBe('');
  }, 30_000);

  it('--help prints the usage and exits 0; an unknown command exits 2', async () => {
    const help = cqlwire(['server', '--help']);
    expect(await help.exit).toBe(0);
    expect(help.out().split('\n')[0]).toBe('Usage: cqlwire server [--nodes N] [--port P] [--auth user:pass]');
    const bad = cqlwire(['frobnicate']);
    expect(await bad.exit).toBe(2);
    expect(bad.err().split('\n')[0]).toBe("cqlwire: unknown command 'frobnicate'");
  }, 30_000);
});
