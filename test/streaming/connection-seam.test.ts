import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connection, openConnection } from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { decodeRowsPage, RowsShape } from '../../src/protocol/rows/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import type { FetchedPage, PageRequest, PageSource } from '../../src/streaming/index.js';
import { createResultStream } from '../../src/streaming/index.js';
import { range, type TestRow } from './support/fake-source.js';

/**
 * The engine straight over one Connection (no session): pins down what cancel does to the wire —
 * the aborted request's stream id stays reserved until the late answer comes, is then released,
 * and the connection keeps serving.
 */
const QUERY = 'SELECT id, payload FROM wire.t';
let server: EmbeddedServer;
let connection: Connection;

class ConnectionSource implements PageSource {
  private shape: RowsShape | undefined;
  constructor(private readonly c: Connection) {}
  async fetch(request: PageRequest): Promise<FetchedPage> {
    const { message } = await this.c.send(
      {
        opcode: Opcode.QUERY,
        query: QUERY,
        params: {
          consistency: 1,
          pageSize: request.pageSize,
          ...(request.pagingState ? { pagingState: request.pagingState } : {}),
        },
      },
      { signal: request.signal },
    );
    if (message.opcode !== Opcode.RESULT || message.kind !== 'rows') throw new Error('expected Rows');
    const rows = message;
    this.shape ??= new RowsShape(rows.metadata.columns!);
    const page = decodeRowsPage(
      this.shape,
      rows.body,
      rows.rowsOffset,
      rows.body.length,
      rows.rowCount,
      rows.metadata.pagingState,
    );
    return { page, pagingState: rows.metadata.pagingState };
  }
}

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  server.execute("CREATE KEYSPACE wire WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  server.execute('CREATE TABLE wire.t (id int PRIMARY KEY, payload text)');
  server.load('wire', 't', { count: 500, generate: (i) => ({ id: i, payload: 'x' }) });
  const node = server.nodes[0]!;
  connection = await openConnection({ host: node.address, port: node.port, heartbeatIntervalMs: 0 });
});

afterAll(async () => {
  await connection?.close();
  await server?.stop();
});

describe('cancel on the wire', () => {
  it('break with a page in flight: the late answer is discarded, its stream id released, the connection still serves', async () => {
    server.prime({ when: { query: QUERY, afterPages: 1, times: 1 }, then: { delayMs: 200 } });
    const stream = createResultStream<TestRow>(new ConnectionSource(connection), { fetchSize: 50 });
    let n = 0;
    for await (const _row of stream) if (++n === 10) break; // page 2 (prefetch) is held by the server
    expect(n).toBe(10);
    expect(connection.inFlight).toBe(1); // its id stays reserved: the server has not answered yet
    const until = Date.now() + 5_000;
    while (connection.inFlight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(connection.inFlight).toBe(0);
    expect(connection.isClosed).toBe(false);
    const again = createResultStream<TestRow>(new ConnectionSource(connection), { fetchSize: 120 });
    const ids: number[] = [];
    for await (const row of again) ids.push(row.id);
    expect(ids.sort((a, b) => a - b)).toEqual(range(0, 500));
  });
});
