import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../src/protocol/rows/index.js';
import { InetAddress, TimeUuid, Uuid } from '../../src/protocol/types/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster } from '../../src/session/index.js';
import { readTrace, TraceUnavailableError } from '../../src/session/trace-reader.js';

let server: EmbeddedServer;

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 1, port: 0 });
  server.execute("CREATE KEYSPACE tr WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  server.execute('CREATE TABLE tr.kv (k int PRIMARY KEY, v text)');
  server.execute("INSERT INTO tr.kv (k, v) VALUES (1, 'one')");
  server.execute("INSERT INTO tr.kv (k, v) VALUES (2, 'two')");
});

afterAll(async () => {
  await server?.stop();
});

describe.each([5, 4] as const)('query tracing on protocol v%i', (protocolVersion) => {
  let cluster: Cluster;

  beforeAll(() => {
    cluster = new Cluster({ contactPoints: server.contactPoints, protocolVersion });
  });
  afterAll(async () => {
    await cluster.shutdown();
  });

  it('{ tracing: true } sets the flag: the answer carries the tracing id, and the trace reads back', async () => {
    const session = await cluster.connect();
    const before = Date.now();
    const rs = await session.execute('SELECT v FROM tr.kv', [], { tracing: true });
    expect(rs.rows.map((r) => r.get('v'))).toEqual(['one', 'two']);
    const id = rs.info.tracingId;
    expect(id).toBeInstanceOf(Uuid);
    const trace = await session.getTrace(id!, { delayMs: 10 });
    expect(trace.id.toString()).toBe(id!.toString());
    expect(trace.coordinator).toBe('127.0.0.1');
    expect(trace.request).toBe('Execute CQL3 query');
    expect(trace.parameters.get('query')).toBe('SELECT v FROM tr.kv');
    expect(trace.parameters.get('consistency_level')).toBe('LOCAL_ONE');
    expect(trace.parameters.get('page_size')).toBe('5000');
    expect(trace.client).toBe('127.0.0.1');
    expect(Number.isInteger(trace.durationMicros) && trace.durationMicros >= 0).toBe(true);
    expect(trace.startedAt.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(trace.startedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(trace.events.map((e) => e.activity)).toEqual([
      'Parsing SELECT v FROM tr.kv',
      'Preparing statement',
      'Read 2 live rows and 0 tombstone cells',
    ]);
    for (const e of trace.events) {
      expect(e.source).toBe('127.0.0.1');
      expect(e.thread).toBe('Native-Transport-Requests-1');
      expect(e.sourceElapsedMicros).toBeLessThanOrEqual(trace.durationMicros);
      expect(e.at.getTime()).toBeGreaterThanOrEqual(trace.startedAt.getTime());
    }
  });

  it('a prepared statement is traced as a prepared query; untraced requests carry no id and write no trace', async () => {
    const session = await cluster.connect();
    const stmt = await session.prepare('SELECT v FROM tr.kv WHERE k = ?');
    const plain = await session.execute(stmt, [1]);
    expect(plain.info.tracingId).toBeUndefined();
    const rs = await session.execute(stmt, [1], { tracing: true });
    const trace = await session.getTrace(rs.info.tracingId!.toString(), { delayMs: 10 });
    expect(trace.request).toBe('Execute CQL3 prepared query');
    expect(trace.parameters.get('query')).toBe('SELECT v FROM tr.kv WHERE k = ?');
    expect(trace.events.map((e) => e.activity)).toEqual(['Read 1 live rows and 0 tombstone cells']);
    const sessions = await session.execute('SELECT session_id FROM system_traces.sessions');
    const ids = (await sessions.all()).map((r) => String(r.get('session_id')));
    expect(ids).toContain(rs.info.tracingId!.toString());
  });

  it('the system_traces tables have the columns and types of Cassandra 4.0+/5.0', async () => {
    const session = await cluster.connect();
    const s = await session.execute('SELECT * FROM system_traces.sessions LIMIT 1');
    expect(s.columns.map((c) => `${c.name} ${c.type.kind}`)).toEqual([
      'session_id uuid',
      'client inet',
      'command text',
      'coordinator inet',
      'coordinator_port int',
      'duration int',
      'parameters map',
      'request text',
      'started_at timestamp',
    ]);
    const e = await session.execute('SELECT * FROM system_traces.events LIMIT 1');
    expect(e.columns.map((c) => `${c.name} ${c.type.kind}`)).toEqual([
      'session_id uuid',
      'event_id timeuuid',
      'activity text',
      'source inet',
      'source_elapsed int',
      'source_port int',
      'thread text',
    ]);
  });
});

/** A row of the fake reads: `get` by column name. */
function row(values: Record<string, unknown>): Row {
  return { get: (name: string) => values[name] ?? null } as unknown as Row;
}

describe('getTrace retries while the trace is being written (as the DataStax drivers)', () => {
  const id = Uuid.fromString('2c8f1a50-93f4-11ef-8000-000000000001');
  const eventId = TimeUuid.fromDate(new Date('2026-01-02T03:04:05.006Z'));

  it('reads the session again while its duration is null, then the events once', async () => {
    const reads: string[] = [];
    let sessionReads = 0;
    const run = async (query: string) => {
      reads.push(query.includes('sessions') ? 'sessions' : 'events');
      if (query.includes('sessions')) {
        sessionReads++;
        const duration = sessionReads < 3 ? null : 1234;
        return {
          all: async () => [
            row({
              coordinator: InetAddress.fromString('127.0.0.2'),
              duration,
              request: 'Execute CQL3 query',
              started_at: new Date(5),
            }),
          ],
        };
      }
      return {
        all: async () => [
          row({
            event_id: eventId,
            activity: 'Parsing x',
            source: InetAddress.fromString('127.0.0.2'),
            source_elapsed: 17,
            thread: 't',
          }),
        ],
      };
    };
    const trace = await readTrace(run, id, { delayMs: 1 });
    expect(reads).toEqual(['sessions', 'sessions', 'sessions', 'events']);
    expect(trace.durationMicros).toBe(1234);
    expect(trace.coordinator).toBe('127.0.0.2');
    expect(trace.events).toEqual([
      {
        at: new Date('2026-01-02T03:04:05.006Z'),
        activity: 'Parsing x',
        source: '127.0.0.2',
        sourceElapsedMicros: 17,
        thread: 't',
      },
    ]);
  });

  it('gives up after `attempts` reads with TraceUnavailableError', async () => {
    let reads = 0;
    const run = async () => {
      reads++;
      return { all: async () => [] as Row[] };
    };
    const error = await readTrace(run, id, { attempts: 3, delayMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceUnavailableError);
    expect((error as Error).message).toBe(
      "Trace 2c8f1a50-93f4-11ef-8000-000000000001 was not found after 3 reads 1 ms apart; try again later or raise getTrace's attempts",
    );
    expect(reads).toBe(3);
  });
});
