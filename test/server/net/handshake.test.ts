import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../../bench/raw-client.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import { encodePlainToken } from '../../../src/protocol/messages/index.js';
import type { EmbeddedServer } from '../../../src/server/net/embedded-server.js';
import { startServerWithBackend } from '../../../src/server/net/embedded-server.js';
import { directionBytes, loadFixture } from '../../support/fixtures.js';
import { StubBackend } from './support/stub-backend.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

let server: EmbeddedServer;
let authServer: EmbeddedServer;
const clients: RawClient[] = [];

async function open(version: 3 | 4 | 5 = 5, port = server.port): Promise<RawClient> {
  const c = await RawClient.open({ port, host: '127.0.0.1', version, record: true });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  server = await startServerWithBackend({}, new StubBackend());
  authServer = await startServerWithBackend(
    { credentials: { username: 'cassandra', password: 'cassandra' } },
    new StubBackend(),
  );
});

afterAll(async () => {
  for (const c of clients) c.close();
  await server.stop();
  await authServer.stop();
});

describe('version negotiation (ProtocolVersion.decode, recordings negotiate-*)', () => {
  it('answers a v2 STARTUP with the same bytes as Cassandra 5.0.2: v1/v2 8-byte header, stream 0, 0x000A', async () => {
    const fixture = loadFixture('5.0.2-negotiate-v2');
    const c = await open();
    c.writeRaw(directionBytes(fixture, 'c2s'));
    const expected = directionBytes(fixture, 's2c');
    await c.until(() => Buffer.concat(c.raw).length >= expected.length, 'the version error');
    // 82 = response v2 | 00 flags | 00 one-byte stream | 00 ERROR | 00000067 length,
    // then 0000000a + "Invalid or unsupported protocol version (2); supported versions are (3/v3, 4/v4, 5/v5, 6/v6-beta)"
    expect(Buffer.concat(c.raw).toString('hex')).toBe(expected.toString('hex'));
    expect(expected.subarray(0, 8).toString('hex')).toBe('8200000000000067');
  });

  it('answers a v6 STARTUP without USE_BETA with the beta error in version 6 with USE_BETA set, like Cassandra', async () => {
    const fixture = loadFixture('5.0.2-negotiate-v6-nobeta');
    const c = await open();
    c.writeRaw(directionBytes(fixture, 'c2s'));
    const expected = directionBytes(fixture, 's2c');
    await c.until(() => Buffer.concat(c.raw).length >= expected.length, 'the beta error');
    // 86 = response v6 | 10 USE_BETA | 0000 stream 0 | 00 ERROR | 0000004f length | 0000000a | message
    expect(Buffer.concat(c.raw).toString('hex')).toBe(expected.toString('hex'));
  });

  it('answers a v7 STARTUP with the invalid-version error in v5 (the channel version), stream 0, and reads nothing more', async () => {
    const c = await open();
    // 07 request v7 | 00 flags | 0005 stream | 01 STARTUP | 00000016 length | {CQL_VERSION: 3.0.0}
    c.writeRaw(hex('07 00 0005 01 00000016 0001 000b 43514c5f56455253494f4e 0005 332e302e30'));
    const message = 'Invalid or unsupported protocol version (7); supported versions are (3/v3, 4/v4, 5/v5, 6/v6-beta)';
    const body = Buffer.concat([hex('0000000a'), Buffer.from([0, message.length]), Buffer.from(message)]);
    const expected = Buffer.concat([hex('85 00 0000 00'), Buffer.from([0, 0, 0, body.length]), body]);
    await c.until(() => Buffer.concat(c.raw).length >= expected.length, 'the version error');
    expect(Buffer.concat(c.raw).toString('hex')).toBe(expected.toString('hex'));
    // the connection stays open (as Cassandra's did for 2 s) but ignores what follows
    c.writeRaw(hex('050000000500000000'));
    await new Promise((r) => setTimeout(r, 100));
    expect(Buffer.concat(c.raw).length).toBe(expected.length);
    expect(c.closed).toBe(false);
  });

  it('lists only the configured versions when v5 is off, and answers v5 in v4', async () => {
    const s = await startServerWithBackend({ protocolVersions: [3, 4] }, new StubBackend());
    try {
      const c = await open(5, s.port);
      c.writeRaw(hex('050000000500000000')); // OPTIONS v5
      const message = 'Invalid or unsupported protocol version (5); supported versions are (3/v3, 4/v4)';
      await c.until(() => Buffer.concat(c.raw).length >= 9 + 6 + message.length, 'the version error');
      const got = Buffer.concat(c.raw);
      expect(got.subarray(0, 5).toString('hex')).toBe('8400000000');
      expect(got.subarray(9 + 6).toString('utf8')).toBe(message);
    } finally {
      await s.stop();
    }
  });
});

describe('OPTIONS / STARTUP', () => {
  it('OPTIONS v5 gets an unframed SUPPORTED shaped like Cassandra 5.0.2 (lz4 only: no snappy here)', async () => {
    const c = await open();
    const { envelope, message } = await c.request({ opcode: Opcode.OPTIONS });
    expect(envelope.version).toBe(5);
    expect(envelope.isResponse).toBe(true);
    expect(envelope.flags).toBe(0);
    expect(message).toEqual({
      opcode: Opcode.SUPPORTED,
      options: new Map([
        ['PROTOCOL_VERSIONS', ['3/v3', '4/v4', '5/v5', '6/v6-beta']],
        ['COMPRESSION', ['lz4']],
        ['CQL_VERSION', ['3.4.7']],
      ]),
    });
  });

  it('STARTUP v5 gets a bare READY (85 00 0001 02 00000000), then both directions are framed', async () => {
    const c = await open();
    c.writeRaw(hex('05 00 0001 01 00000016 0001 000b 43514c5f56455253494f4e 0005 332e302e30'));
    await c.until(() => Buffer.concat(c.raw).length >= 9, 'READY');
    expect(Buffer.concat(c.raw).toString('hex')).toBe('850000010200000000');
    c.received.length = 0;
    c.switchToSegments('none');
    const { envelope, message } = await c.request({
      opcode: Opcode.QUERY,
      query: 'SELECT n FROM ks.nums',
      params: { consistency: 1, pageSize: 3 },
    });
    // the answer came in a CRC segment (the decoder verified header CRC24 and payload CRC32)
    expect(c.raw[c.raw.length - 1]!.subarray(0, 3).readUIntLE(0, 3) & 0x20000).toBe(0x20000);
    expect(envelope.version).toBe(5);
    expect(message.opcode).toBe(Opcode.RESULT);
    expect((message as { rowCount: number }).rowCount).toBe(3);
  });

  it('STARTUP v5 with lz4: READY bare, then lz4 segments both ways', async () => {
    const c = await open();
    await c.startup('lz4');
    const { message } = await c.request({
      opcode: Opcode.QUERY,
      query: 'SELECT n FROM ks.nums',
      params: { consistency: 1 },
    });
    expect((message as { rowCount: number }).rowCount).toBe(25);
    // lz4 segment header: 5 bytes + 3 bytes CRC24; self-contained is bit 34 (0x04 of byte 4)
    const last = c.raw[c.raw.length - 1]!;
    expect(last[4]! & 0x04).toBe(0x04);
  });

  it('STARTUP v4 with lz4: READY is compressed (84 01 0001 02 00000005 00000000 00), later envelopes too', async () => {
    const c = await open(4);
    c.writeRaw(
      hex(
        '04 00 0001 01 00000028 0002 000b 43514c5f56455253494f4e 0005 332e302e30 000b 434f4d5052455353494f4e 0003 6c7a34',
      ),
    );
    await c.until(() => Buffer.concat(c.raw).length >= 14, 'READY');
    expect(Buffer.concat(c.raw).toString('hex')).toBe('8401000102000000050000000000');
    c.received.length = 0;
    c.setCompression('lz4');
    const { envelope, message } = await c.request({
      opcode: Opcode.QUERY,
      query: 'SELECT n FROM ks.nums',
      params: { consistency: 1 },
    });
    expect(envelope.flags & 0x01).toBe(0x01);
    expect((message as { rowCount: number }).rowCount).toBe(25);
  });

  it('STARTUP v3 then a v3 QUERY works', async () => {
    const c = await open(3);
    await c.startup();
    const { envelope, message } = await c.request({
      opcode: Opcode.QUERY,
      query: 'SELECT n FROM ks.nums',
      params: { consistency: 1 },
    });
    expect(envelope.version).toBe(3);
    expect((message as { rowCount: number }).rowCount).toBe(25);
  });

  it.each([
    [new Map([['COMPRESSION', 'lz4']]), 'Missing value CQL_VERSION in STARTUP message'],
    [
      new Map([['CQL_VERSION', '2.0.0']]),
      'CQL version 2.0.0 is not supported by the binary protocol (supported version are >= 3.0.0)',
    ],
    [new Map([['CQL_VERSION', 'x']]), 'Invalid version value: x'],
    [
      new Map([
        ['CQL_VERSION', '3.0.0'],
        ['COMPRESSION', 'snappy'],
      ]),
      'This instance does not support Snappy compression',
    ],
    [
      new Map([
        ['CQL_VERSION', '3.0.0'],
        ['COMPRESSION', 'GZIP'],
      ]),
      'Unknown compression algorithm: gzip',
    ],
  ])('STARTUP %o is refused with 0x000A "%s"', async (options, text) => {
    const c = await open(4);
    const { message } = await c.request({ opcode: Opcode.STARTUP, options });
    expect(message).toEqual({ opcode: Opcode.ERROR, code: 0x000a, message: text });
  });

  it('before STARTUP only OPTIONS and STARTUP are accepted; STARTUP twice is refused', async () => {
    const c = await open(4);
    const { message } = await c.request({
      opcode: Opcode.QUERY,
      query: 'SELECT n FROM ks.nums',
      params: { consistency: 1 },
    });
    expect(message).toEqual({
      opcode: Opcode.ERROR,
      code: 0x000a,
      message: 'Unexpected message QUERY, expecting STARTUP or OPTIONS',
    });
    await c.startup();
    const again = await c.request({ opcode: Opcode.STARTUP, options: new Map([['CQL_VERSION', '3.0.0']]) });
    expect(again.message).toEqual({
      opcode: Opcode.ERROR,
      code: 0x000a,
      message: 'Unexpected message STARTUP, the connection is already initialized',
    });
  });

  it('a zero page size is refused as Cassandra does', async () => {
    const c = await open(4);
    await c.startup();
    // our encoder refuses page size 0, so the bytes are written by hand:
    // 04 | 00 | 0003 stream | 07 QUERY | 00000020 length | [long string] 'SELECT n FROM ks.nums'
    // | 0001 ONE | 04 PAGE_SIZE | 00000000 page size 0
    c.writeRaw(hex('04 00 0003 07 00000020 00000015 53454c454354206e2046524f4d206b732e6e756d73 0001 04 00000000'));
    const { message } = await c.response(3);
    expect(message).toEqual({ opcode: Opcode.ERROR, code: 0x000a, message: 'The page size cannot be 0' });
  });

  it('a malformed body gets ERROR 0x000A on its stream and the connection keeps serving', async () => {
    const c = await open(4);
    await c.startup();
    // 04 | 00 | 0007 stream | 07 QUERY | 00000003 length | 3 bytes: a [long string] cut short
    c.writeRaw(hex('04 00 0007 07 00000003 000000'));
    const { message } = await c.response(7);
    expect(message.opcode).toBe(Opcode.ERROR);
    expect((message as { code: number }).code).toBe(0x000a);
    const ok = await c.request({ opcode: Opcode.QUERY, query: 'SELECT n FROM ks.nums', params: { consistency: 1 } });
    expect(ok.message.opcode).toBe(Opcode.RESULT);
  });

  it('garbage framing (an unknown opcode) gets ERROR 0x000A then the connection is closed', async () => {
    const c = await open(4);
    await c.startup();
    c.writeRaw(hex('04 00 0009 44 00000000'));
    await c.until(() => c.closed, 'the close');
    const error = c.received.find((e) => e.opcode === Opcode.ERROR);
    expect(error?.body.readInt32BE(0)).toBe(0x000a);
  });
});

describe('authentication (PasswordAuthenticator, SASL PLAIN; recordings auth-ok / auth-bad)', () => {
  it('v5: AUTHENTICATE bare, AUTH_RESPONSE framed, AUTH_SUCCESS with a null token', async () => {
    const c = await open(5, authServer.port);
    c.writeRaw(hex('05 00 0000 01 00000016 0001 000b 43514c5f56455253494f4e 0005 332e302e30'));
    const expected = Buffer.concat([
      hex('85 00 0000 03 00000031 002f'),
      Buffer.from('org.apache.cassandra.auth.PasswordAuthenticator'),
    ]);
    await c.until(() => Buffer.concat(c.raw).length >= expected.length, 'AUTHENTICATE');
    expect(Buffer.concat(c.raw).toString('hex')).toBe(expected.toString('hex'));
    c.received.length = 0;
    c.switchToSegments('none');
    const { envelope, message } = await c.request({
      opcode: Opcode.AUTH_RESPONSE,
      token: encodePlainToken('cassandra', 'cassandra'),
    });
    expect(message).toEqual({ opcode: Opcode.AUTH_SUCCESS, token: null });
    expect(envelope.body.toString('hex')).toBe('ffffffff');
    const q = await c.request({ opcode: Opcode.QUERY, query: 'SELECT n FROM ks.nums', params: { consistency: 1 } });
    expect(q.message.opcode).toBe(Opcode.RESULT);
  });

  it("a wrong password is ERROR 0x0100 with Cassandra's message; the connection stays open and nothing else is served", async () => {
    const c = await open(4, authServer.port);
    const first = await c.request({ opcode: Opcode.STARTUP, options: new Map([['CQL_VERSION', '3.0.0']]) });
    expect(first.message).toEqual({
      opcode: Opcode.AUTHENTICATE,
      authenticator: 'org.apache.cassandra.auth.PasswordAuthenticator',
    });
    const bad = await c.request({ opcode: Opcode.AUTH_RESPONSE, token: encodePlainToken('cassandra', 'nope') });
    expect(bad.message).toEqual({
      opcode: Opcode.ERROR,
      code: 0x0100,
      message: 'Provided username cassandra and/or password are incorrect',
    });
    const q = await c.request({ opcode: Opcode.QUERY, query: 'SELECT n FROM ks.nums', params: { consistency: 1 } });
    expect(q.message).toEqual({
      opcode: Opcode.ERROR,
      code: 0x000a,
      message: 'Unexpected message QUERY, expecting SASL_RESPONSE',
    });
    expect(c.closed).toBe(false);
  });
});

describe('TLS', () => {
  it('serves the same protocol over TLS with the given key and certificate', async () => {
    const dir = new URL('./support/', import.meta.url);
    const key = readFileSync(new URL('tls-key.pem', dir));
    const cert = readFileSync(new URL('tls-cert.pem', dir));
    const s = await startServerWithBackend({ tls: { key, cert } }, new StubBackend());
    try {
      const c = await RawClient.open({ port: s.port, host: '127.0.0.1', version: 5, tls: { ca: cert }, record: true });
      clients.push(c);
      expect((c.socket as TLSSocket).authorized).toBe(true);
      await c.startup('lz4');
      const { message } = await c.request({
        opcode: Opcode.QUERY,
        query: 'SELECT n FROM ks.nums',
        params: { consistency: 1 },
      });
      expect((message as { rowCount: number }).rowCount).toBe(25);
      // a plain-text client gets nothing it can read: the TLS handshake fails and the socket closes
      const plain = await open(5, s.port);
      plain.writeRaw(hex('050000000500000000'));
      await plain.until(() => plain.closed, 'the close of a non-TLS connection');
      expect(plain.received).toEqual([]);
    } finally {
      await s.stop();
    }
  });
});

describe('write coalescing', () => {
  it('answers 50 pipelined requests from one chunk in one write: one segment holding the 50 responses', async () => {
    const c = await open(5);
    await c.startup();
    const segmentsBefore = c.segments.length;
    const framed = c.encoder.encode(
      Array.from({ length: 50 }, (_, i) => ({
        version: 5,
        isResponse: false,
        flags: 0,
        stream: 100 + i,
        opcode: Opcode.OPTIONS,
        body: Buffer.alloc(0),
      })),
    );
    c.writeRaw(framed);
    await c.until(() => c.received.filter((e) => e.opcode === Opcode.SUPPORTED).length === 50, '50 SUPPORTED');
    // the 50 answers were encoded together, so they share one self-contained segment of 50 × 103 bytes
    // (a SUPPORTED envelope: 9-byte header + 94-byte body)
    // (answered one by one, each would have been its own segment)
    expect(c.segments.slice(segmentsBefore)).toEqual([{ selfContained: true, payloadLength: 50 * 103 }]);
    expect(c.received.map((e) => e.stream)).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
  });
});
