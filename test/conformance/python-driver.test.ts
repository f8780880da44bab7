import { execFile, execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedServer } from '../../src/server/index.js';
import { startEmbeddedServer } from '../../src/server/index.js';

/** Debian's interpreter, where python3-cassandra lives (not the python3 first on PATH). */
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'python', 'scenario.py');

function driverAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import cassandra'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

const available = driverAvailable();
if (!available) {
  if (process.env.CI) throw new Error(`${PYTHON} cannot import cassandra (python3-cassandra): required when CI is set`);
  console.warn(`python-driver conformance skipped: ${PYTHON} cannot import cassandra (install python3-cassandra)`);
}

/** Runs the scenario script; resolves with the JSON object on its last line of output. */
function runScenario(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [SCRIPT, ...args], { timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`scenario ${args.join(' ')} failed: ${err.message}\n${stderr.slice(-4000)}`));
        return;
      }
      const lines = stdout.trim().split('\n');
      resolve(JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>);
    });
  });
}

const EXPECTED_ROW_4242_PREPARED = ['4242', 'text 4242 \u00e9'];

describe.skipIf(!available)('DataStax python driver (python3-cassandra) against the embedded server', () => {
  let server: EmbeddedServer;
  let cluster3: EmbeddedServer;

  beforeAll(async () => {
    server = await startEmbeddedServer({ port: 0 });
    cluster3 = await startEmbeddedServer({ nodes: 3, port: 0, dataCenter: 'dc1' });
  });
  afterAll(async () => {
    await server?.stop();
    await cluster3?.stop();
  });

  it.each([
    [5, 'none'],
    [5, 'lz4'],
    [4, 'none'],
    [4, 'lz4'],
  ] as const)(
    'protocol v%i, compression %s: 10,000 prepared inserts read back in 100-row pages with exact values, COUNT(*), prepared SELECT, driver exceptions',
    async (version, compression) => {
      const keyspace = `py_v${version}_${compression}`;
      const out = await runScenario(['full', '127.0.0.1', String(server.port), String(version), compression, keyspace]);
      expect(out).toEqual({
        protocol_version: version,
        lz4: compression === 'lz4',
        insert_failures: 0,
        rows: 10_000,
        // 100 full pages, then the empty page Cassandra sends after a full last page
        pages: 101,
        mismatches: [],
        count: 10_000,
        prepared_select: EXPECTED_ROW_4242_PREPARED,
        syntax_error: 'SyntaxException',
        unknown_table: `InvalidRequest: Error from server: code=2200 [Invalid query] message="table no_such_table does not exist"`,
      });
    },
    90_000,
  );

  it.each([5, 4])(
    'protocol v%i: a 3-node cluster is discovered whole from one contact point',
    async (version) => {
      const port = cluster3.port;
      const out = await runScenario(['discover', '127.0.0.1', String(port), String(version), '3']);
      expect(out).toEqual({
        hosts: [`127.0.0.1:${port}`, `127.0.0.2:${port}`, `127.0.0.3:${port}`],
        dcs: ['dc1'],
        up: 3,
        partitioner: 'org.apache.cassandra.dht.Murmur3Partitioner',
        tokens: 12,
        expected: 3,
      });
    },
    60_000,
  );

  it('protocol v5: nodes sharing 127.0.0.1 on distinct ports (sameHost) are found through system.peers_v2 native_port', async () => {
    const same = await startEmbeddedServer({ nodes: 3, port: 0, sameHost: true });
    try {
      const ports = same.nodes.map((n) => n.port);
      expect(new Set(ports).size).toBe(3);
      const out = await runScenario(['discover', '127.0.0.1', String(ports[0]), '5', '3']);
      expect(out).toMatchObject({ hosts: ports.map((p) => `127.0.0.1:${p}`).sort(), up: 3, tokens: 12 });
      expect(same.internalErrors).toEqual([]);
    } finally {
      await same.stop();
    }
  }, 60_000);

  it('the servers met no internal error on the way', () => {
    expect(server.internalErrors).toEqual([]);
    expect(cluster3.internalErrors).toEqual([]);
  });
});
