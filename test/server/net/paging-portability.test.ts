import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawClient } from '../../../bench/raw-client.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import type { RowsResult } from '../../../src/protocol/messages/index.js';
import type { EmbeddedServer } from '../../../src/server/index.js';
import { startEmbeddedServer } from '../../../src/server/index.js';
import { readyClient } from './support/ready-client.js';

let server: EmbeddedServer;
const clients: RawClient[] = [];

const ready = (node: number): Promise<RawClient> =>
  readyClient(clients, server.nodes[node]!.port, server.nodes[node]!.address, 5);

/** The int cells of a one-int-column page. */
function ints(r: RowsResult): number[] {
  const out: number[] = [];
  let p = r.rowsOffset;
  for (let i = 0; i < r.rowCount; i++) {
    const len = r.body.readInt32BE(p);
    out.push(r.body.readInt32BE(p + 4));
    p += 4 + len;
  }
  return out;
}

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 3, port: 0 });
  server.execute("CREATE KEYSPACE pp WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  server.execute('CREATE TABLE pp.t (k int PRIMARY KEY)');
  server.load('pp', 't', { count: 1000, generate: (i: number) => [i] });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
});

describe('paging state portability across nodes', () => {
  it('a scan paged on node 1, 2, 3 in turn returns every row exactly once, in the single-node order', async () => {
    const conns = [await ready(0), await ready(1), await ready(2)];
    const query = 'SELECT k FROM pp.t';
    const single: number[] = [];
    let state: Buffer | undefined;
    for (let guard = 0; guard < 200; guard++) {
      const r = (
        await conns[0]!.request({
          opcode: Opcode.QUERY,
          query,
          params: { consistency: 1, pageSize: 37, ...(state ? { pagingState: state } : {}) },
        })
      ).message as RowsResult;
      single.push(...ints(r));
      state = r.metadata.pagingState;
      if (state === undefined) break;
    }
    const hopped: number[] = [];
    const pagesPerNode = [0, 0, 0];
    state = undefined;
    for (let page = 0; page < 200; page++) {
      const node = page % 3;
      pagesPerNode[node]!++;
      const r = (
        await conns[node]!.request({
          opcode: Opcode.QUERY,
          query,
          params: { consistency: 1, pageSize: 37, ...(state ? { pagingState: state } : {}) },
        })
      ).message as RowsResult;
      hopped.push(...ints(r));
      state = r.metadata.pagingState;
      if (state === undefined) break;
    }
    expect(single.length).toBe(1000);
    expect(new Set(single).size).toBe(1000);
    expect(hopped).toEqual(single);
    expect(pagesPerNode.every((n) => n >= 9)).toBe(true);
    // every request was seen by the node it was sent to
    const queried = server.activityLog.filter((e) => e.opcode === 'QUERY' && e.query === query);
    expect(new Set(queried.map((e) => e.node))).toEqual(new Set([0, 1, 2]));
  });
});
