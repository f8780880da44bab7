// Run as a child process by lifecycle.test.ts: open a connection with default heartbeats, leave a
// request pending (60 s timeout) on a peer that never answers it, close, and print what the
// request rejected with. The process must then exit by itself, with nothing keeping it alive.
import { openConnection } from '../../../src/connection/index.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';

const port = Number(process.argv[2]);
const connection = await openConnection({ host: '127.0.0.1', port });
const pending = connection.send(
  { opcode: Opcode.QUERY, query: 'hang', params: { consistency: 1 } },
  { timeoutMs: 60_000 },
);
pending.catch(() => {});
await new Promise((r) => setTimeout(r, 20));
await connection.close();
try {
  await pending;
  console.log('resolved');
} catch (error) {
  console.log((error as Error).name);
}
