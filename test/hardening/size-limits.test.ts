import { afterEach, describe, expect, it } from 'vitest';
import { NoHostAvailableError } from '../../src/cluster/index.js';
import {
  type Connection,
  type ConnectionOptions,
  openConnection,
  RequestTimeoutError,
} from '../../src/connection/index.js';
import { lz4CompressBlock } from '../../src/protocol/compression/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { ArgumentError, ProtocolError } from '../../src/protocol/errors/index.js';
import { encodeSegment, segmentCrc32, writeSegmentHeader } from '../../src/protocol/segment/index.js';
import { startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type ClusterOptions } from '../../src/session/index.js';
import { type FakePeer, type PeerConnection, startFakePeer } from '../connection/fake-peer.js';

/**
 * Limits (docs/security.md "Bad bytes from the network"): a peer that declares a huge size
 * (envelope length, split-envelope length, lz4 uncompressed length) is refused with a
 * `ProtocolError` and a closed connection, and the client never allocates what was declared. The
 * peer is the connection tests' fake peer on 127.0.0.1; it completes a real handshake, then answers
 * the one QUERY with crafted bytes. "Never allocated" is measured as the growth of
 * `process.memoryUsage().arrayBuffers` while the hostile answer is handled (a declared 200 MiB–4
 * GiB against a bound of 16 MiB).
 */

const ALLOCATION_BOUND = 16 * 1024 * 1024;
const MiB = 1024 * 1024;

let peer: FakePeer | undefined;
const open: Connection[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  await peer?.close();
  peer = undefined;
});

/** A response envelope header (native_protocol_v5.spec §2.4.1.1): version|0x80, flags, stream, opcode, length. */
function responseHeader(version: 4 | 5, flags: number, stream: number, opcode: number, bodyLength: number): Buffer {
  const h = Buffer.alloc(9);
  h[0] = 0x80 | version; // response bit + version
  h[1] = flags; // 0x01 = COMPRESSION (v4 only)
  h.writeInt16BE(stream, 2);
  h[4] = opcode;
  h.writeUInt32BE(bodyLength, 5);
  return h;
}

interface Outcome {
  error: unknown;
  grewBy: number;
  closed: boolean;
}

/**
 * Opens a connection to a fake peer that answers the QUERY with `answer(stream)`, sends the QUERY,
 * and reports how it ended and how much ArrayBuffer memory appeared meanwhile.
 */
async function hostileAnswer(
  connection: Partial<ConnectionOptions>,
  answer: (stream: number, peer: PeerConnection) => Buffer,
): Promise<Outcome> {
  peer = await startFakePeer({
    onQuery: (_query, _reply, conn) =>
      conn.writeRaw(answer(conn.requestStreams[conn.requestStreams.length - 1]!, conn)),
  });
  const c = await openConnection({
    host: '127.0.0.1',
    port: peer.port,
    heartbeatIntervalMs: 0,
    requestTimeoutMs: 2_000,
    ...connection,
  });
  open.push(c);
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1);
  const error = await c.send({ opcode: Opcode.QUERY, query: 'SELECT hostile', params: { consistency: 1 } }).then(
    () => undefined,
    (e: unknown) => e,
  );
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  return { error, grewBy: peak - before, closed: c.isClosed };
}

describe('size limits are enforced before allocation', () => {
  it('v4: an envelope header declaring a 4 GiB body is refused at the header (default limit 256 MiB)', async () => {
    const o = await hostileAnswer({ protocolVersion: 4 }, (stream) =>
      responseHeader(4, 0, stream, Opcode.RESULT, 0xfffffff0),
    );
    expect(o.error).toBeInstanceOf(ProtocolError);
    expect((o.error as Error).message).toBe(
      `Envelope RESULT on stream 0 declares a 4294967280-byte body, above the limit of 268435456 bytes per envelope`,
    );
    expect(o.closed).toBe(true);
    expect(o.grewBy).toBeLessThan(ALLOCATION_BOUND);
  });

  it('v4: a configured maxEnvelopeSize of 64 KiB refuses a header declaring one byte more, before the body arrives', async () => {
    const limit = 64 * 1024;
    const o = await hostileAnswer({ protocolVersion: 4, maxEnvelopeSize: limit }, (stream) =>
      responseHeader(4, 0, stream, Opcode.RESULT, limit - 9 + 1),
    );
    expect(o.error).toBeInstanceOf(ProtocolError);
    expect((o.error as Error).message).toBe(
      `Envelope RESULT on stream 0 declares a 65528-byte body, above the limit of 65536 bytes per envelope`,
    );
    expect(o.closed).toBe(true);
  });

  it('v4: a configured maxEnvelopeSize lets an answer of exactly that size through', async () => {
    // the control for the refusal above: a Void RESULT padded to the limit by a warning
    const limit = 64 * 1024;
    peer = await startFakePeer({
      onQuery: (_query, reply) =>
        reply({ opcode: Opcode.RESULT, kind: 'void' }, { warnings: ['x'.repeat(limit - 9 - 2 - 2 - 4)] }),
    });
    const c = await openConnection({
      host: '127.0.0.1',
      port: peer.port,
      protocolVersion: 4,
      heartbeatIntervalMs: 0,
      maxEnvelopeSize: limit,
    });
    open.push(c);
    const r = await c.send({ opcode: Opcode.QUERY, query: 'q', params: { consistency: 1 } });
    // body: [string list] of one warning (2 + 2 + n bytes) + [int] kind Void (4 bytes)
    expect(r.warnings?.[0]?.length).toBe(limit - 9 - 2 - 2 - 4);
  });

  it('v4: a header declaring 200 MiB (under the limit) sets nothing aside until the body arrives', async () => {
    const o = await hostileAnswer({ protocolVersion: 4, requestTimeoutMs: 300 }, (stream) =>
      Buffer.concat([responseHeader(4, 0, stream, Opcode.RESULT, 200 * MiB), Buffer.alloc(11)]),
    );
    // nothing more comes: the request times out; the 9-byte header did not buy a 200 MiB buffer
    expect(o.error).toBeInstanceOf(RequestTimeoutError);
    expect(o.grewBy).toBeLessThan(ALLOCATION_BOUND);
  });

  it('v4 lz4: a compressed body declaring 2 GiB uncompressed is refused before decompressing', async () => {
    const o = await hostileAnswer({ protocolVersion: 4, compression: 'lz4' }, (stream) => {
      const body = Buffer.from([
        0x7f,
        0xff,
        0xff,
        0xff, // [int] uncompressed length 2^31-1 (native_protocol_v4.spec §5: lz4 body prefix)
        0x10,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00,
        0x00, // a few lz4 block bytes
      ]);
      return Buffer.concat([responseHeader(4, 0x01, stream, Opcode.RESULT, body.length), body]);
    });
    expect(o.error).toBeInstanceOf(ProtocolError);
    expect((o.error as Error).message).toMatch(
      /declares 2147483647 uncompressed bytes, above the limit of \d+; refusing to decompress it/,
    );
    expect(o.closed).toBe(true);
    expect(o.grewBy).toBeLessThan(ALLOCATION_BOUND);
  });

  it('v5: an envelope in a self-contained segment declaring a 1 GiB body is refused', async () => {
    const o = await hostileAnswer({ protocolVersion: 5 }, (stream) =>
      encodeSegment(responseHeader(5, 0, stream, Opcode.RESULT, 1024 * MiB), true, 'none'),
    );
    expect(o.error).toBeInstanceOf(ProtocolError);
    expect((o.error as Error).message).toBe(
      `Envelope RESULT on stream 0 declares a 1073741824-byte body, above the limit of 268435456 bytes per envelope`,
    );
    expect(o.closed).toBe(true);
    expect(o.grewBy).toBeLessThan(ALLOCATION_BOUND);
  });

  it('v5 lz4: a segment declaring 128 KiB uncompressed whose payload expands to 13 bytes is refused', async () => {
    const o = await hostileAnswer({ protocolVersion: 5, compression: 'lz4' }, (stream) => {
      const envelope = Buffer.concat([responseHeader(5, 0, stream, Opcode.RESULT, 4), Buffer.from([0, 0, 0, 1])]); // RESULT Void
      const payload = lz4CompressBlock(envelope);
      const segment = Buffer.alloc(8 + payload.length + 4);
      // native_protocol_v5.spec §2.2 (LZ4 Compressed Format) header: compressed length = the real
      // one, uncompressed length = 131071 (the 17-bit maximum), self-contained
      const n = writeSegmentHeader(segment, 0, 'lz4', payload.length, 131_071, true);
      payload.copy(segment, n);
      segment.writeUInt32LE(segmentCrc32(payload), n + payload.length); // a valid CRC32: only the length lies
      return segment;
    });
    expect(o.error).toBeInstanceOf(ProtocolError);
    expect((o.error as Error).message).toMatch(
      /lz4 block (decompressed to 13 bytes but declared 131071|\(\d+ bytes, declared 131071 uncompressed\))/,
    );
    expect(o.closed).toBe(true);
    expect(o.grewBy).toBeLessThan(ALLOCATION_BOUND);
  });

  // Was a bug (SegmentDecoder.addSlice sized its buffer from the declared envelope length): one
  // 20-byte segment declaring a 200 MiB envelope made the client allocate 200 MiB at once. The
  // gathering buffer now grows with the bytes received.
  it('v5: the first slice of a split envelope declaring 200 MiB does not allocate 200 MiB', async () => {
    const o = await hostileAnswer({ protocolVersion: 5, requestTimeoutMs: 300 }, (stream) =>
      encodeSegment(
        Buffer.concat([responseHeader(5, 0, stream, Opcode.RESULT, 200 * MiB), Buffer.alloc(11)]),
        false,
        'none',
      ),
    );
    // the peer sends nothing more: the request times out (or the slice is refused); either way
    // the client must not have set aside the declared size
    expect(o.grewBy).toBeLessThan(ALLOCATION_BOUND);
  });
});

describe('limits a Cluster user can set', () => {
  // The limits must be configurable by an application (docs/security.md "Bad bytes from the
  // network"), which uses a Cluster, not openConnection: `new Cluster({ maxEnvelopeSize })` is
  // passed down to the control connection and every pool (it was once rejected as an unknown
  // option). It also bounds a v4 lz4 body's declared output; no segment-size option exists at
  // either level (v5's 17-bit length field caps a segment at 128 KiB anyway).
  it('new Cluster({ maxEnvelopeSize }) is accepted and a pool connection refuses a larger answer with ProtocolError naming that limit', async () => {
    const server = await startEmbeddedServer({ port: 0 });
    server.execute("CREATE KEYSPACE lim WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    server.execute('CREATE TABLE lim.t (k int PRIMARY KEY, v text)');
    server.load('lim', 't', [
      { k: 1, v: 'x'.repeat(10_000) },
      { k: 2, v: 'small' },
    ]);
    try {
      const options: ClusterOptions = { contactPoints: server.contactPoints, maxEnvelopeSize: 4 * 1024 };
      const cluster = new Cluster(options);
      try {
        const session = await cluster.connect();
        // the control for the refusal: an answer under the limit goes through
        expect((await session.execute('SELECT v FROM lim.t WHERE k = 2')).first()?.get('v')).toBe('small');
        const big = await session.execute('SELECT v FROM lim.t WHERE k = 1').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(big).toBeInstanceOf(ProtocolError);
        expect((big as Error).message).toMatch(
          /^Envelope RESULT on stream \d+ declares a \d+-byte body, above the limit of 4096 bytes per envelope$/,
        );
      } finally {
        await cluster.shutdown();
      }
    } finally {
      await server.stop();
    }
  });

  it("the control connection is held to the Cluster's maxEnvelopeSize too: a limit below its system.local answer fails connect()", async () => {
    const server = await startEmbeddedServer({ port: 0 });
    try {
      // 200 bytes: enough for the handshake (SUPPORTED is ~100), not for the system.local row (~660)
      const cluster = new Cluster({ contactPoints: server.contactPoints, maxEnvelopeSize: 200 });
      try {
        const error = await cluster.connect().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(NoHostAvailableError);
        const causes = [...(error as NoHostAvailableError).errors.values()];
        expect(causes).toHaveLength(1);
        expect(causes[0]).toBeInstanceOf(ProtocolError);
        expect(causes[0]!.message).toMatch(
          /^Envelope RESULT on stream \d+ declares a \d+-byte body, above the limit of 200 bytes per envelope$/,
        );
      } finally {
        await cluster.shutdown();
      }
    } finally {
      await server.stop();
    }
  });

  it('a nonsensical maxEnvelopeSize on a Cluster is an ArgumentError at construction naming the value', () => {
    expect(() => new Cluster({ contactPoints: ['127.0.0.1'], maxEnvelopeSize: 8 })).toThrow(ArgumentError);
    expect(() => new Cluster({ contactPoints: ['127.0.0.1'], maxEnvelopeSize: 8 })).toThrow(
      'maxEnvelopeSize must be an integer >= 9, got 8',
    );
    expect(() => new Cluster({ contactPoints: ['127.0.0.1'], maxEnvelopeSize: 1.5 })).toThrow(
      'maxEnvelopeSize must be an integer >= 9, got 1.5',
    );
    expect(() => new Cluster({ contactPoints: ['127.0.0.1'], maxEnvelopeSize: 2 ** 32 })).toThrow(
      'maxEnvelopeSize must be at most 4294967295 (2^32-1), got 4294967296',
    );
  });

  it('a nonsensical maxEnvelopeSize on a connection is an ArgumentError naming the value', async () => {
    const attempt = openConnection({ host: '127.0.0.1', port: 1, maxEnvelopeSize: 8 });
    await expect(attempt).rejects.toThrow(ArgumentError);
    await expect(attempt).rejects.toThrow('maxEnvelopeSize must be an integer >= 9, got 8');
  });
});
