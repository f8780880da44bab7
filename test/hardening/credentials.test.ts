import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError, CqlwireError, NoHostAvailableError, StreamError } from '../../src/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';

/**
 * Credentials (docs/security.md "Credentials"): the password never shows in an error (message,
 * stack, cause chain, inspect, JSON), in anything cqlwire prints, or in `util.inspect` / JSON of
 * the cluster and the session — not even their raw object graph (custom inspect off, hidden fields
 * shown) — before connecting, while connected, after failures and after shutdown. The username may
 * appear.
 */

const USERNAME = 'storm_user';
// distinctive, with characters a naive escaper or logger might mangle
const PASSWORD = 'pw-7f3a"\'; DROP-ü-π';
const WRONG = 'wrong-9c1e"\'-pässword';
const SECRETS = [PASSWORD, WRONG];

let server: EmbeddedServer;
const clusters: Cluster[] = [];
let printed: string[] = [];
const restore: (() => void)[] = [];

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 2, port: 0, credentials: { username: USERNAME, password: PASSWORD } });
});

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.shutdown()));
  await server?.stop();
});

/** Everything written through console, process.stdout/stderr or process warnings during a test. */
beforeEach(() => {
  printed = [];
  for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- Node binds console methods to console
    const original = console[name];
    console[name] = (...args: unknown[]) => {
      printed.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10 }))).join(' '));
    };
    restore.push(() => (console[name] = original));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = (chunk: unknown, ...rest: unknown[]) => {
      printed.push(String(chunk));
      return (original as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
    restore.push(() => (stream.write = original));
  }
  const onWarning = (w: Error) => printed.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  restore.push(() => process.off('warning', onWarning));
});

afterEach(() => {
  for (const undo of restore.splice(0)) undo();
  expect(leaks(printed.join('\n'))).toEqual([]);
});

function cluster(password: string): Cluster {
  const c = new Cluster({
    contactPoints: server.contactPoints,
    credentials: { username: USERNAME, password },
    requestTimeoutMs: 1_000,
    reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
  });
  clusters.push(c);
  return c;
}

/** The secrets found in `text` (each reported once). */
function leaks(text: string): string[] {
  // as text, JSON-escaped, or as the bytes of a Buffer printed by inspect (`<Buffer 70 77 ...>`)
  return SECRETS.filter(
    (s) =>
      text.includes(s) ||
      text.includes(JSON.stringify(s).slice(1, -1)) ||
      text.includes(
        unpooledBytes(s)
          .toString('hex')
          .slice(0, 24)
          .replace(/(..)(?!$)/g, '$1 '),
      ),
  );
}

/**
 * The UTF-8 bytes of `s` in memory of their own. `Buffer.from(string)` would copy them into the
 * shared pool, where inspect (showHidden) of any later small Buffer would show them: the detector
 * would plant the very leak it looks for.
 */
function unpooledBytes(s: string): Buffer {
  const bytes = Buffer.alloc(Buffer.byteLength(s, 'utf8'));
  bytes.write(s, 0, 'utf8');
  return bytes;
}

/** Every rendering of `value` a log line or a crash report could contain. */
function renderings(value: unknown): string {
  const parts = [
    inspect(value, { depth: 8 }),
    inspect(value, { depth: Infinity, customInspect: false, showHidden: true, getters: true }),
    String(value),
  ];
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch (error) {
    parts.push(String(error));
  }
  for (let e: unknown = value; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? '');
  if (value instanceof NoHostAvailableError) for (const e of value.errors.values()) parts.push(renderings(e));
  return parts.join('\n');
}

describe('credentials never leak', () => {
  it('the detector itself finds a password held as a string, in JSON or in a Buffer', () => {
    expect(leaks(renderings({ deep: { deeper: { password: PASSWORD } } }))).toEqual([PASSWORD]);
    expect(leaks(renderings(new Error('wrapped', { cause: new Error(`auth ${JSON.stringify(WRONG)}`) })))).toEqual([
      WRONG,
    ]);
    expect(leaks(renderings({ token: unpooledBytes(`\0${USERNAME}\0${PASSWORD}`) }))).toEqual([PASSWORD]);
  });

  it('a cluster and session with credentials: inspect and JSON before connect, connected, and after shutdown', async () => {
    const c = cluster(PASSWORD);
    expect(leaks(renderings(c))).toEqual([]);
    const session: Session = await c.connect();
    const rs = await session.execute("SELECT cluster_name FROM system.local WHERE key = 'local'");
    expect(rs.first()?.get('cluster_name')).toBe('cqlwire');
    expect(leaks(renderings(c))).toEqual([]);
    expect(leaks(renderings(session))).toEqual([]);
    expect(leaks(renderings(rs))).toEqual([]);
    await c.shutdown();
    expect(leaks(renderings(c))).toEqual([]);
    expect(leaks(renderings(session))).toEqual([]);
  });

  it.each([
    [4, 'none'],
    [4, 'lz4'],
    [5, 'none'],
    [5, 'lz4'],
  ] as const)(
    'after a v%i handshake with compression %s no copy of the password is left in the shared Buffer pool',
    async (protocolVersion, compression) => {
      const needle = unpooledBytes(PASSWORD);
      // small allocUnsafe Buffers share the current pool slab: look at it before and after connecting
      const before = Buffer.allocUnsafe(8).buffer;
      const c = new Cluster({
        contactPoints: server.contactPoints,
        credentials: { username: USERNAME, password: PASSWORD },
        protocolVersion,
        compression,
        requestTimeoutMs: 1_000,
      });
      clusters.push(c);
      await c.connect();
      expect(c.protocolVersion).toBe(protocolVersion);
      // the wipe runs when the socket has taken the bytes: let the write callbacks run
      await new Promise((resolve) => setTimeout(resolve, 20));
      const after = Buffer.allocUnsafe(8).buffer;
      expect(Buffer.from(before).indexOf(needle)).toBe(-1);
      expect(Buffer.from(after).indexOf(needle)).toBe(-1);
    },
  );

  it('a refused password: the AuthenticationError names the user, never either password', async () => {
    const error = await cluster(WRONG)
      .connect()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain(USERNAME);
    expect(leaks(renderings(error))).toEqual([]);
  });

  it('errors of a connected session (server error, stream failure, every node gone) carry no password', async () => {
    const c = cluster(PASSWORD);
    const session = await c.connect();
    const syntax = await session.execute('SELEC nonsense').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(syntax).toBeDefined();
    expect(leaks(renderings(syntax))).toEqual([]);

    server.prime({
      when: { query: 'FROM system.peers', times: 1000 },
      then: { error: { code: 'SERVER_ERROR', message: 'primed failure' } },
    });
    try {
      const stream = await session.executeStream('SELECT peer FROM system.peers', [], { retry: false });
      const failure = await (async () => {
        for await (const _ of stream) {
          /* drain */
        }
      })().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(StreamError);
      expect(leaks(renderings(failure))).toEqual([]);
    } finally {
      server.clearPrimes();
    }

    await Promise.all(server.nodes.map((n) => n.stop()));
    try {
      const gone = await session.execute("SELECT cluster_name FROM system.local WHERE key = 'local'").then(
        () => undefined,
        (e: unknown) => e,
      );
      // ConnectionClosedError (a non-idempotent request is not retried) or NoHostAvailableError
      expect(gone).toBeInstanceOf(CqlwireError);
      expect(leaks(renderings(gone))).toEqual([]);
      expect(leaks(renderings(c))).toEqual([]);
    } finally {
      await Promise.all(server.nodes.map((n) => n.start()));
    }
    await c.shutdown();
  });
});
