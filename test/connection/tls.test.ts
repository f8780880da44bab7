import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type Connection, ConnectionError, openConnection } from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { type FakePeer, startFakePeer } from './fake-peer.js';

// A self-signed certificate for CN=localhost with subjectAltName DNS:localhost, IP:127.0.0.1
// (made with openssl for these tests only; it protects nothing).
const dir = join(dirname(fileURLToPath(import.meta.url)), 'tls');
const key = readFileSync(join(dir, 'key.pem'));
const cert = readFileSync(join(dir, 'cert.pem'));

let peer: FakePeer | undefined;
const open: Connection[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  await peer?.close();
  peer = undefined;
});

async function echoOver(connection: Connection, text: string): Promise<string | undefined> {
  open.push(connection);
  const r = await connection.send({ opcode: Opcode.QUERY, query: text, params: { consistency: 1 } });
  return r.warnings?.[0];
}

describe('TLS', () => {
  it('connects to an IP address whose certificate lists it, v5 with lz4 inside TLS', async () => {
    peer = await startFakePeer({ tls: { key, cert } });
    const connection = await openConnection({
      host: '127.0.0.1',
      port: peer.port,
      tls: { ca: cert },
      compression: 'lz4',
      heartbeatIntervalMs: 0,
    });
    expect(connection.protocolVersion).toBe(5);
    expect(await echoOver(connection, 'over tls')).toBe('over tls');
  });

  it('verifies a DNS name against the certificate by default', async () => {
    peer = await startFakePeer({ tls: { key, cert } });
    const connection = await openConnection({
      host: 'localhost',
      port: peer.port,
      tls: { ca: cert },
      heartbeatIntervalMs: 0,
    });
    expect(await echoOver(connection, 'by name')).toBe('by name');
  });

  it('refuses a certificate that does not name the host (hostname verification stays on)', async () => {
    peer = await startFakePeer({ tls: { key, cert } });
    const attempt = openConnection({
      host: '127.0.0.1',
      port: peer.port,
      tls: { ca: cert, servername: 'db.example.com' },
    });
    await expect(attempt).rejects.toThrow(ConnectionError);
    await expect(attempt).rejects.toThrow(
      /cannot connect: Hostname\/IP does not match certificate's altnames: Host: db\.example\.com/,
    );
  });

  it('refuses an untrusted certificate', async () => {
    peer = await startFakePeer({ tls: { key, cert } });
    const attempt = openConnection({ host: '127.0.0.1', port: peer.port, tls: {} });
    await expect(attempt).rejects.toThrow(/cannot connect: self-signed certificate/);
  });
});
