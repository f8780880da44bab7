/**
 * A throwaway certificate authority for the TLS tests, made with the `openssl` command line in a
 * temporary directory: one CA, one server certificate it signs for `localhost` and the embedded
 * server's node addresses, and one it signs for a name no node has. Keys are P-256 (fast to make).
 * It protects nothing and is deleted by `remove()`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  /** The CA certificate (PEM): what a client trusts. */
  ca: Buffer;
  /** Key and certificate for DNS:localhost and IP:127.0.0.1..3, signed by the CA. */
  server: { key: Buffer; cert: Buffer };
  /** Key and certificate for DNS:db.example.com only, signed by the same CA. */
  otherName: { key: Buffer; cert: Buffer };
  /** A second, untrusted CA's self-signed server certificate for the right names. */
  untrusted: { key: Buffer; cert: Buffer };
  remove(): void;
}

/** True when an `openssl` command is on the PATH. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'cqlwire-pki-'));
  const at = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const selfSigned = (name: string, subject: string, extensions: string[]) =>
    run(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      at(`${name}.key`),
      '-out',
      at(`${name}.pem`),
      '-days',
      '2',
      '-subj',
      subject,
      ...extensions,
    );
  const signed = (name: string, subjectAltName: string) => {
    run('req', ...ec, '-keyout', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', `/CN=${name}`);
    writeFileSync(
      at(`${name}.ext`),
      `subjectAltName=${subjectAltName}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
    );
    run(
      'x509',
      '-req',
      '-in',
      at(`${name}.csr`),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at(`${name}.pem`),
      '-days',
      '2',
      '-extfile',
      at(`${name}.ext`),
    );
  };
  selfSigned('ca', '/CN=cqlwire test CA', [
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  signed('server', 'DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3');
  signed('other', 'DNS:db.example.com');
  selfSigned('rogue', '/CN=localhost', [
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3',
  ]);
  const pair = (name: string) => ({ key: readFileSync(at(`${name}.key`)), cert: readFileSync(at(`${name}.pem`)) });
  return {
    ca: readFileSync(at('ca.pem')),
    server: pair('server'),
    otherName: pair('other'),
    untrusted: pair('rogue'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
