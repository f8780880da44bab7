import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClosedError, CqlwireError } from '../../src/index.js';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';
import { runTsxScript } from '../support/run-tsx-script.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const LOCAL = "SELECT cluster_name FROM system.local WHERE key = 'local'";
let server: EmbeddedServer;

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 1, port: 0, clusterName: 'closed-test' });
});

afterAll(async () => {
  await server?.stop();
});

beforeEach(() => {
  server.clearActivityLog();
});

/** Every call of a session after shutdown, each with the name its ClosedError gives. */
function calls(session: Session): [string, () => Promise<unknown>][] {
  return [
    ['execute()', () => session.execute(LOCAL)],
    ['prepare()', () => session.prepare(LOCAL)],
    ['batch()', () => session.batch(['INSERT INTO ks.t (k) VALUES (1)'])],
    ['executeStream()', () => session.executeStream(LOCAL)],
    ['fetchPage()', () => session.fetchPage(LOCAL, undefined)],
  ];
}

async function closedErrorOf(call: () => Promise<unknown>): Promise<ClosedError> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClosedError);
  return error as ClosedError;
}

describe('ClosedError', () => {
  it('is a CqlwireError, not an ArgumentError, and says what was closed', () => {
    const error = new ClosedError('session', 'batch()');
    expect(error).toBeInstanceOf(CqlwireError);
    expect(error).not.toBeInstanceOf(ArgumentError);
    expect([error.name, error.closed, error.message]).toEqual([
      'ClosedError',
      'session',
      'batch() after session.shutdown(): the session is closed; get a new one from cluster.connect()',
    ]);
    expect(new ClosedError('cluster', 'connect()').message).toBe(
      'connect() after cluster.shutdown(): the cluster is closed; make a new Cluster',
    );
  });
});

describe('after shutdown nothing is sent and no connection opens', () => {
  it('session.shutdown(): execute, prepare, batch, executeStream and fetchPage reject with a session ClosedError', async () => {
    const cluster = new Cluster({ contactPoints: server.contactPoints });
    try {
      const session = await cluster.connect();
      await session.shutdown();
      server.clearActivityLog();
      for (const [operation, call] of calls(session)) {
        const error = await closedErrorOf(call);
        expect([error.closed, error.message.startsWith(`${operation} after session.shutdown()`)]).toEqual([
          'session',
          true,
        ]);
      }
      expect(server.activityLog.map((e) => e.opcode)).toEqual([]);
      // the cluster is still up: a new session works
      const again = await cluster.connect();
      expect((await again.execute(LOCAL)).first()?.get('cluster_name')).toBe('closed-test');
    } finally {
      await cluster.shutdown();
    }
  });

  it('cluster.shutdown(): every call of its sessions and connect() reject with a cluster ClosedError', async () => {
    const cluster = new Cluster({ contactPoints: server.contactPoints });
    const session = await cluster.connect();
    await cluster.shutdown();
    server.clearActivityLog();
    for (const [operation, call] of [...calls(session), ['connect()', () => cluster.connect()] as const]) {
      const error = await closedErrorOf(call);
      expect([error.closed, error.message.startsWith(`${operation} after cluster.shutdown()`)]).toEqual([
        'cluster',
        true,
      ]);
    }
    expect(server.activityLog.map((e) => e.opcode)).toEqual([]);
  });

  it('the process exits by itself after batch(), prepare() and execute() were refused', async () => {
    const { code, out, ms } = await runTsxScript(
      join(here, 'support/calls-after-shutdown.ts'),
      server.contactPoints,
      10_000,
    );
    expect(out.trim()).toBe(
      [
        'cluster batch() ClosedError cluster',
        'cluster prepare() ClosedError cluster',
        'cluster execute() ClosedError cluster',
        'session batch() ClosedError session',
        'session prepare() ClosedError session',
        'session execute() ClosedError session',
      ].join('\n'),
    );
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
  });
});
