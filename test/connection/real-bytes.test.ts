import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Connection, openConnection } from '../../src/connection/index.js';
import { directionBytes, loadFixture } from '../support/fixtures.js';

/**
 * The handshake fed with the bytes real Cassandra 5.0.2 / 4.1.7 sent (the recordings in
 * test/fixtures/real-cassandra). The unframed handshake envelopes are replayed one per
 * request; only the stream id is set to the one our client used, since the recording client
 * numbered its requests 0, 1, 2 where ours reuses id 0.
 */

/** The first `count` unframed envelopes a server sent on a recorded connection, each as its own bytes. */
function recordedEnvelopes(fixture: string, count: number): Buffer[] {
  const bytes = directionBytes(loadFixture(fixture), 's2c');
  const out: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const legacy = (bytes[offset]! & 0x7f) < 3; // v1/v2: 8-byte header, 1-byte stream
    const headerLength = legacy ? 8 : 9;
    const length = bytes.readUInt32BE(offset + headerLength - 4);
    out.push(Buffer.from(bytes.subarray(offset, offset + headerLength + length)));
    offset += headerLength + length;
  }
  return out;
}

/** Answers the n-th request of the c-th connection with `script[c][n]`, its stream id patched. */
async function replayPeer(
  script: Buffer[][],
): Promise<{ port: number; requests: Buffer[][]; server: Server; sockets: Socket[] }> {
  const requests: Buffer[][] = [];
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    const index = requests.length;
    const seen: Buffer[] = [];
    requests.push(seen);
    sockets.push(socket);
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // the handshake requests are unframed 9-byte-header envelopes
      while (pending.length >= 9 && pending.length >= 9 + pending.readUInt32BE(5)) {
        const request = pending.subarray(0, 9 + pending.readUInt32BE(5));
        pending = pending.subarray(request.length);
        seen.push(request);
        const reply = script[index]?.[seen.length - 1];
        if (reply === undefined) continue;
        const patched = Buffer.from(reply);
        if ((patched[0]! & 0x7f) < 3) patched.writeInt8(request.readInt16BE(2), 2);
        else patched.writeInt16BE(request.readInt16BE(2), 2);
        socket.write(patched);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, requests, server, sockets };
}

let peer: Awaited<ReturnType<typeof replayPeer>> | undefined;
const open: Connection[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  if (peer) {
    for (const s of peer.sockets) s.destroy();
    await new Promise<void>((resolve) => peer!.server.close(() => resolve()));
  }
  peer = undefined;
});

describe('handshake with real Cassandra bytes', () => {
  for (const server of ['5.0.2', '4.1.7']) {
    for (const flow of ['v5-plain', 'v5-lz4', 'v4-plain', 'v4-lz4']) {
      it(`${server} ${flow}: reads SUPPORTED and READY as the server wrote them`, async () => {
        const [supported, ready] = recordedEnvelopes(`${server}-${flow}`, 2);
        peer = await replayPeer([[supported!, ready!]]);
        const version = flow.startsWith('v5') ? 5 : 4;
        const compression = flow.endsWith('lz4') ? 'lz4' : 'none';
        const connection = await openConnection({
          host: '127.0.0.1',
          port: peer.port,
          protocolVersion: version,
          compression,
          heartbeatIntervalMs: 0,
        });
        open.push(connection);
        expect([connection.protocolVersion, connection.compression]).toEqual([version, compression]);
        expect(connection.supported.get('PROTOCOL_VERSIONS')).toEqual(['3/v3', '4/v4', '5/v5', '6/v6-beta']);
        expect(connection.supported.get('COMPRESSION')).toEqual(['snappy', 'lz4']);
        expect(peer.requests[0]!.map((r) => r[4])).toEqual([0x05, 0x01]); // OPTIONS, STARTUP
      });
    }
  }

  it('the v2-header refusal Cassandra sends for a too-old version is read and answered by a downgrade', async () => {
    // the client never sends v2; what matters here is that the legacy 8-byte header of the
    // refusal decodes and counts as "version refused"
    const [refusal] = recordedEnvelopes('5.0.2-negotiate-v2', 1);
    expect(refusal!.subarray(0, 8).toString('hex')).toBe('8200000000000067'); // 0x82 | flags | stream i8 | ERROR | length
    const [supported, ready] = recordedEnvelopes('5.0.2-v4-plain', 2);
    peer = await replayPeer([[refusal!], [supported!, ready!]]);
    const connection = await openConnection({ host: '127.0.0.1', port: peer.port, heartbeatIntervalMs: 0 });
    open.push(connection);
    expect(connection.protocolVersion).toBe(4);
    expect(peer.requests.map((rs) => rs.map((r) => r[0]))).toEqual([[0x05], [0x04, 0x04]]);
  });

  it('the beta refusal (version 6, USE_BETA set on the reply) counts as "version refused"', async () => {
    const [refusal] = recordedEnvelopes('5.0.2-negotiate-v6-nobeta', 1);
    expect(refusal!.subarray(0, 9).toString('hex')).toBe('86100000000000004f'); // 0x86 | USE_BETA | stream 0 | ERROR | length 79
    const [supported, ready] = recordedEnvelopes('4.1.7-v4-lz4', 2);
    peer = await replayPeer([[refusal!], [supported!, ready!]]);
    const connection = await openConnection({
      host: '127.0.0.1',
      port: peer.port,
      compression: 'lz4',
      heartbeatIntervalMs: 0,
    });
    open.push(connection);
    expect([connection.protocolVersion, connection.compression]).toEqual([4, 'lz4']);
  });
});
