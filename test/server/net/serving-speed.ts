/**
 * Serving-speed check (not a unit test):
 * `npx tsx test/server/net/serving-speed.ts [rows=1000000] [pageSize=5000] [none|lz4] [store|canned]`.
 *
 * Loads the 5-column benchmark table (int, text, bigint, double, timestamp) into the embedded
 * server without CQL, then a raw socket client that uses only our framing (v5 CRC segments)
 * pulls `SELECT *` page by page (page size 5000 by default) and prints rows/s. The client does
 * not decode cells: it measures what the server can serve, the ceiling any client can reach. The
 * client runs in a child process, so server and client each have a core.
 */

import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Envelope } from '../../../src/protocol/envelope/index.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import { FrameDecoder, FrameEncoder } from '../../../src/protocol/framing/index.js';
import type { RequestMessage } from '../../../src/protocol/messages/index.js';
import { decodeResponseBody, encodeRequestBody } from '../../../src/protocol/messages/index.js';
import { rowsPage, VOID_RESULT } from '../../../src/server/execution/index.js';
import { startEmbeddedServer } from '../../../src/server/index.js';
import type { Backend, PreparedShape } from '../../../src/server/net/backend.js';
import { startServerWithBackend } from '../../../src/server/net/embedded-server.js';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const PAGE_SIZE = Number(process.argv[3] ?? 5000);
const COMPRESSION = (process.argv[4] ?? 'none') as 'none' | 'lz4';
/** 'store' (default): the real data side; 'canned': the network side alone (see cannedBackend). */
const MODE = process.argv[5] ?? 'store';

/** The client side, in its own process so client and server each get a core, as in real life. */
async function pull(port: number): Promise<void> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  // one page in flight, used at once: a split page may be gathered into one reused buffer
  const decoder = new FrameDecoder({ expectResponses: true, reuseGatherBuffer: true });
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
    socket.write(
      encoder.encode([
        { version: 5, isResponse: false, flags: 0, stream, opcode: msg.opcode, body: encodeRequestBody(msg, 5) },
      ]),
    );
    const queued = queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      waiting = resolve;
    });
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
      const e = await request(
        {
          opcode: Opcode.QUERY,
          query: 'SELECT * FROM bench.t',
          params: { consistency: 1, pageSize: PAGE_SIZE, ...(pagingState ? { pagingState } : {}) },
        },
        1,
      );
      const msg = decodeResponseBody(e.opcode, e.body, 5);
      if (msg.opcode !== Opcode.RESULT || msg.kind !== 'rows')
        throw new Error(`unexpected response ${JSON.stringify(msg).slice(0, 200)}`);
      const r = msg;
      rows += r.rowCount;
      pages++;
      pagingState = r.metadata.pagingState ? Buffer.from(r.metadata.pagingState) : undefined;
    } while (pagingState !== undefined);
    const seconds = (performance.now() - start) / 1000;
    if (rows !== ROWS) throw new Error(`read ${rows} rows, expected ${ROWS}`);
    console.log(
      `round ${round + 1}: ${rows} rows in ${pages} pages, ${seconds.toFixed(3)} s: ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s (page size ${PAGE_SIZE}, compression ${COMPRESSION})`,
    );
  }
  socket.destroy();
}

/**
 * `canned` mode: a stand-in data side that hands out one pre-built 5000-row page of the same
 * table every time, to measure the network side alone (framing, RESULT encoding, socket writes).
 */
function cannedBackend(): Backend<PreparedShape> {
  const rows: Buffer[] = [];
  for (let i = 0; i < PAGE_SIZE; i++) {
    const name = Buffer.from(`name-${i}`);
    const b = Buffer.alloc(5 * 4 + 4 + 8 + 8 + name.length + 8);
    let p = b.writeInt32BE(4, 0);
    p = b.writeInt32BE(i, p);
    p = b.writeInt32BE(8, p) + 8;
    p = b.writeInt32BE(8, p) + 8;
    p = b.writeInt32BE(name.length, p);
    p += name.copy(b, p);
    b.writeInt32BE(8, p);
    rows.push(b);
  }
  const columns = (['id:int', 'at:timestamp', 'big:bigint', 'name:text', 'score:double'] as const).map((c) => {
    const [name, kind] = c.split(':') as [string, 'int' | 'timestamp' | 'bigint' | 'text' | 'double'];
    return { keyspace: 'bench', table: 't', name, type: { kind } };
  });
  const pages = Math.ceil(ROWS / PAGE_SIZE);
  return {
    execute: (_q, _h, _v, o) => {
      const n = o.pagingState === undefined ? 0 : o.pagingState.readInt32BE(0);
      const next = Buffer.alloc(4);
      next.writeInt32BE(n + 1, 0);
      return rowsPage(columns, PAGE_SIZE, rows, n + 1 < pages ? next : undefined);
    },
    prepare: () => {
      throw new Error('not in canned mode');
    },
    batch: () => VOID_RESULT,
    onSchemaChange: () => () => undefined,
    schemaVersion: () => Buffer.alloc(16),
  };
}

async function main(): Promise<void> {
  if (MODE === 'canned') {
    const server = await startServerWithBackend({ port: 0 }, cannedBackend());
    try {
      await runClient(server.port);
    } finally {
      await server.stop();
    }
    return;
  }
  const server = await startEmbeddedServer({ port: 0 });
  try {
    server.execute("CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    server.execute('CREATE TABLE bench.t (id int PRIMARY KEY, name text, big bigint, score double, at timestamp)');
    const t0 = performance.now();
    server.load('bench', 't', {
      count: ROWS,
      generate: (i: number) => ({
        id: i,
        name: `name-${i}`,
        big: BigInt(i) * 1000n,
        score: i / 3,
        at: new Date(1_700_000_000_000 + i),
      }),
    });
    console.log(`loaded ${ROWS} rows in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    await runClient(server.port);
  } finally {
    await server.stop();
  }
}

async function runClient(port: number): Promise<void> {
  {
    const client = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
      {
        env: { ...process.env, SERVING_SPEED_PORT: String(port) },
        stdio: 'inherit',
      },
    );
    await new Promise<void>((resolve, reject) => {
      client.once('error', reject);
      client.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`client process exited with ${code}`))));
    });
  }
}

const clientPort = process.env.SERVING_SPEED_PORT;
if (clientPort === undefined) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  pull(Number(clientPort)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
