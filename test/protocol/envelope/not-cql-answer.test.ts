import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NoHostAvailableError } from '../../../src/cluster/index.js';
import { decodeEnvelopeHeader } from '../../../src/protocol/envelope/index.js';
import { ProtocolError } from '../../../src/protocol/errors/index.js';
import { Cluster } from '../../../src/session/index.js';

const FIRST = { allowLegacy: true, expectResponses: true, maxEnvelopeSize: 1 << 20 };

describe('a first answer that is not the CQL native protocol', () => {
  it('is named as such, with the bytes as text when printable', () => {
    expect(() => decodeEnvelopeHeader(Buffer.from('HTTP/1.1 400 Bad Request\r\n'), 0, FIRST)).toThrow(
      new ProtocolError(
        'this port does not speak the CQL native protocol: its answer starts "HTTP/1.1 400 Bad Request\\r\\n"',
      ),
    );
    expect(() => decodeEnvelopeHeader(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46, 0, 0]), 0, FIRST)).toThrow(
      'this port does not speak the CQL native protocol: its answer starts 0x150303000202460000',
    );
  });

  it('a request header where a request is expected, or after the first envelope, keeps the envelope error', () => {
    const request = Buffer.from('050000010700000000', 'hex'); // v5 request, stream 1, QUERY, empty body
    expect(decodeEnvelopeHeader(request, 0, { ...FIRST, expectResponses: false }).opcode).toBe(0x07);
    expect(() => decodeEnvelopeHeader(request, 0, { ...FIRST, allowLegacy: false })).toThrow(
      'Envelope direction bit says request (version byte 0x5) where a response was expected',
    );
  });
});

describe('connecting to a port that speaks HTTP', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
  });

  it('says the port does not speak the CQL native protocol, the address once', async () => {
    server = createServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const endpoint = `127.0.0.1:${(server.address() as { port: number }).port}`;
    const cluster = new Cluster({ contactPoints: [endpoint] });
    try {
      const error = await cluster.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NoHostAvailableError);
      expect((error as Error).message).toBe(
        `Could not connect to any contact point (tried 1): ${endpoint}: handshake at protocol v5 failed: this port does not speak the CQL native protocol: its answer starts "HTTP/1.1 "`,
      );
    } finally {
      await cluster.shutdown();
    }
  });
});
