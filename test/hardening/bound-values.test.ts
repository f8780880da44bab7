import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Connection } from '../../src/connection/index.js';
import type { RequestMessage } from '../../src/protocol/messages/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';

/**
 * Injection (docs/security.md "Values are bound, never interpolated"): values are always bound,
 * never spliced into the CQL text. For each way of running a statement (unprepared with positional
 * or named values, prepared, batch, executeStream) with values full of quotes and CQL, three things
 * hold: the request cqlwire hands to the connection carries the caller's text byte for byte and the
 * value as a separate [bytes] entry; the server's activity log shows the text unchanged; and the
 * value reads back intact while the table it tried to drop still exists.
 */

const HOSTILE = [
  "Robert'); DROP TABLE inj.t; --",
  "'' OR 1=1; --",
  '"quoted" \\ backslash $$ dollar-quoted $$',
  "multi\nline'\u0000nul",
];

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;
let sent: RequestMessage[] = [];

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  server.execute("CREATE KEYSPACE inj WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  server.execute('CREATE TABLE inj.t (k int PRIMARY KEY, v text)');
  cluster = new Cluster({ contactPoints: server.contactPoints });
  session = await cluster.connect('inj');
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

function spyOnRequests(): void {
  sent = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called back with .call(this, ...)
  const original = Connection.prototype.send;
  vi.spyOn(Connection.prototype, 'send').mockImplementation(function (this: Connection, request, options) {
    sent.push(request);
    return original.call(this, request, options);
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** The text of every QUERY/PREPARE/EXECUTE/BATCH statement the server logged since the last clear. */
function loggedTexts(): string[] {
  return server.activityLog
    .filter((e) => ['QUERY', 'PREPARE', 'EXECUTE', 'BATCH'].includes(e.opcode) && e.query !== undefined)
    .map((e) => e.query!);
}

/** Values of the statements sent, as UTF-8 (a text value is its UTF-8 bytes, native_protocol_v5.spec §5.16). */
function sentValues(): string[] {
  const out: string[] = [];
  for (const r of sent) {
    const values =
      r.opcode === 0x07 || r.opcode === 0x0a
        ? r.params.values
        : r.opcode === 0x0d
          ? r.statements.flatMap((s) => s.values)
          : [];
    for (const v of values ?? []) if (Buffer.isBuffer(v)) out.push(v.toString('utf8'));
  }
  return out;
}

/** Queries' texts as sent (QUERY, PREPARE and BATCH entries given as text). */
function sentTexts(): string[] {
  const out: string[] = [];
  for (const r of sent) {
    if (r.opcode === 0x07 || r.opcode === 0x09) out.push(r.query);
    if (r.opcode === 0x0d) for (const s of r.statements) if (s.query !== undefined) out.push(s.query);
  }
  return out;
}

async function readBack(k: number): Promise<unknown> {
  const rs = await session.execute('SELECT v FROM inj.t WHERE k = ?', [k], { prepare: true });
  return rs.first()?.get('v');
}

function tableStillExists(): void {
  expect(server.execute('SELECT count(*) FROM inj.t').kind).toBe('rows');
}

describe('values are bound, never interpolated', () => {
  it.each(HOSTILE.map((v, i) => [i, v] as const))(
    'unprepared QUERY with positional values (case %i)',
    async (i, value) => {
      const text = 'INSERT INTO inj.t (k, v) VALUES (?, ?)';
      spyOnRequests();
      server.clearActivityLog();
      await session.execute(text, [i, value], { prepare: false, hints: ['int', 'text'] });
      expect(sentTexts()).toEqual([text]);
      expect(sentValues()).toContain(value);
      expect(loggedTexts()).toEqual([text]);
      vi.restoreAllMocks();
      expect(await readBack(i)).toBe(value);
      tableStillExists();
    },
  );

  it('unprepared QUERY with named values', async () => {
    const text = 'INSERT INTO inj.t (k, v) VALUES (:k, :v)';
    spyOnRequests();
    server.clearActivityLog();
    await session.execute(text, { k: 100, v: HOSTILE[0] }, { prepare: false, hints: { k: 'int', v: 'text' } });
    expect(sentTexts()).toEqual([text]);
    expect(sentValues()).toContain(HOSTILE[0]);
    expect(loggedTexts()).toEqual([text]);
    vi.restoreAllMocks();
    expect(await readBack(100)).toBe(HOSTILE[0]);
  });

  it('prepared EXECUTE: the PREPARE carries the text unchanged, the EXECUTE only an id and values', async () => {
    const text = 'INSERT INTO inj.t (k, v) VALUES (?, ?) USING TTL 3600';
    spyOnRequests();
    server.clearActivityLog();
    await session.execute(text, [200, HOSTILE[1]], { prepare: true });
    expect(sent.map((r) => r.opcode)).toEqual([0x09, 0x0a]); // PREPARE, EXECUTE
    expect(sentTexts()).toEqual([text]);
    expect(sentValues()).toContain(HOSTILE[1]);
    expect(loggedTexts()).toEqual([text, text]); // the log names an EXECUTE by its prepared text
    vi.restoreAllMocks();
    expect(await readBack(200)).toBe(HOSTILE[1]);
  });

  it('BATCH (prepared entries: the text goes out once in PREPARE, the entries carry ids and values)', async () => {
    const text = 'INSERT INTO inj.t (k, v) VALUES (?, ?)';
    spyOnRequests();
    server.clearActivityLog();
    await session.batch(
      [
        { query: text, params: [300, HOSTILE[2]] },
        { query: text, params: [301, HOSTILE[3]] },
      ],
      { prepare: true },
    );
    expect(sent.map((r) => r.opcode)).toEqual([0x09, 0x0d]); // PREPARE, BATCH
    expect(sentTexts()).toEqual([text]);
    expect(sentValues()).toEqual(expect.arrayContaining([HOSTILE[2], HOSTILE[3]]));
    // the log joins a BATCH's statement texts with '; '
    expect(loggedTexts()).toEqual([text, `${text}; ${text}`]);
    vi.restoreAllMocks();
    expect(await readBack(300)).toBe(HOSTILE[2]);
    expect(await readBack(301)).toBe(HOSTILE[3]);
    tableStillExists();
  });

  it('executeStream with a hostile value in its WHERE clause', async () => {
    const text = 'SELECT k, v FROM inj.t WHERE v = ? ALLOW FILTERING';
    spyOnRequests();
    server.clearActivityLog();
    const stream = await session.executeStream(text, [HOSTILE[0]], { fetchSize: 2 });
    const ks: number[] = [];
    for await (const row of stream) ks.push(row.get('k') as number);
    expect(ks.sort((a, b) => a - b)).toEqual([0, 100]);
    expect(sentValues()).toContain(HOSTILE[0]);
    expect(loggedTexts().every((t) => t === text)).toBe(true);
    expect(loggedTexts().length).toBeGreaterThan(0);
  });
});
