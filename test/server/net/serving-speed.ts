/**
 * Serving-speed check (not a unit test): `npx tsx test/server/net/serving-speed.ts [rows] [pageSize]`.
 *
 * Loads the 5-column benchmark table (int, text, bigint, double, timestamp) into the embedded
 * server without CQL, then a raw socket client that uses only our framing (v5 CRC segments)
 * pulls `SELECT *` page by page (page size 5000 by default) and prints rows/s. The client does
 * not decode cells: it measures what the server can serve, the ceiling any client can reach.
 */
import { connect } from 'node:net';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import type { Envelope } from '../../../src/protocol/envelope/index.js';
import { FrameDecoder, FrameEncoder } from '../../../src/protocol/framing/index.js';
import { decodeResponseBody, encodeRequestBody } from '../../../src/protocol/messages/index.js';
import type { RequestMessage, RowsResult } from '../../../src/protocol/messages/index.js';
import { startEmbeddedServer } from '../../../src/server/index.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const PAGE_SIZE = Number(process.argv[3] ?? 5000);
const COMPRESSION = (process.argv[4] ?? 'none') as 'none' | 'lz4';

async function main(): Promise<void> {
  const server = await startEmbeddedServer({ port: 0 });
  try {
    await server.execute("CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    await server.execute('CREATE TABLE bench.t (id int PRIMARY KEY, name text, big bigint, score double, at timestamp)');
    const t0 = performance.now();
    server.load('bench', 't', {
      count: ROWS,
      generate: (i: number) => [i, `name-${i}`, BigInt(i) * 1000n, i / 3, new Date(1_700_000_000_000 + i)],
    });
    console.log(`loaded ${ROWS} rows in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

    const socket = connect({ host: '127.0.0.1', port: server.port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const decoder = new FrameDecoder({ expectResponses: true });
    const encoder = new FrameEncoder();
    let waiting: ((e: Envelope) => void) | undefined;
    const queue: Envelope[] = [];
    socket.on('data', (chunk: Buffer) => {
      decoder.push(chunk);
      for (let e = decoder.next(); e !== undefined; e = decoder.next()) {
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          w(e);
        } else queue.push(e);
      }
    });
    const request = (msg: RequestMessage, stream: number): Promise<Envelope> => {
      socket.write(encoder.encode([{ version: 5, isResponse: false, flags: 0, stream, opcode: msg.opcode, body: encodeRequestBody(msg, 5) }]));
      const queued = queue.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve) => { waiting = resolve; });
    };

    const startup = new Map([['CQL_VERSION', '3.0.0']]);
    if (COMPRESSION === 'lz4') startup.set('COMPRESSION', 'lz4');
    const ready = await request({ opcode: Opcode.STARTUP, options: startup }, 0);
    if (ready.opcode !== Opcode.READY) throw new Error(`expected READY, got opcode ${ready.opcode}`);
    decoder.switchToSegments({ compression: COMPRESSION });
    encoder.switchToSegments({ compression: COMPRESSION });

    for (let round = 0; round < 3; round++) {
      let rows = 0;
      let pages = 0;
      let pagingState: Buffer | undefined;
      const start = performance.now();
      do {
        const e = await request({
          opcode: Opcode.QUERY,
          query: 'SELECT * FROM bench.t',
          params: { consistency: 1, pageSize: PAGE_SIZE, ...(pagingState ? { pagingState } : {}) },
        }, 1);
        const msg = decodeResponseBody(e.opcode, e.body, 5);
        if (msg.opcode !== Opcode.RESULT || msg.kind !== 'rows') throw new Error(`unexpected response ${JSON.stringify(msg).slice(0, 200)}`);
        const r = msg as RowsResult;
        rows += r.rowCount;
        pages++;
        pagingState = r.metadata.pagingState ? Buffer.from(r.metadata.pagingState) : undefined;
      } while (pagingState !== undefined);
      const seconds = (performance.now() - start) / 1000;
      if (rows !== ROWS) throw new Error(`read ${rows} rows, expected ${ROWS}`);
      console.log(`round ${round + 1}: ${rows} rows in ${pages} pages, ${seconds.toFixed(3)} s: ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s (page size ${PAGE_SIZE}, compression ${COMPRESSION})`);
    }
    socket.destroy();
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
