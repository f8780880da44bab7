import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a Docker engine was looked for, and whether one answered. */
export interface DockerProbe {
  reachable: boolean;
  /** What was tried, e.g. `unix:///var/run/docker.sock (no such socket)`. */
  checked: string[];
}

/** How long one endpoint may take to answer `GET /_ping`. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Finds out quickly whether a Docker engine is reachable, without testcontainers' own discovery
 * (which may wait much longer before giving up): DOCKER_HOST when set (unix:// or tcp://, TLS
 * endpoints counted as reachable when their port accepts a connection), otherwise the usual
 * local sockets (/var/run/docker.sock, ~/.docker/run/docker.sock, the rootless one). An engine
 * counts as reachable when it answers the Engine API's `GET /_ping` with HTTP 200. Bounded by
 * {@link PROBE_TIMEOUT_MS} per endpoint.
 */
export async function probeDockerEngine(): Promise<DockerProbe> {
  const checked: string[] = [];
  const candidates: { label: string; open: () => Socket; tls: boolean }[] = [];
  const dockerHost = process.env.DOCKER_HOST;
  if (dockerHost !== undefined && dockerHost !== '') {
    if (dockerHost.startsWith('unix://')) {
      const path = dockerHost.slice('unix://'.length);
      candidates.push({ label: dockerHost, open: () => connect(path), tls: false });
    } else if (dockerHost.startsWith('tcp://')) {
      const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
      const port = Number(url.port || (process.env.DOCKER_TLS_VERIFY ? 2376 : 2375));
      candidates.push({
        label: dockerHost,
        open: () => connect(port, url.hostname),
        tls: process.env.DOCKER_TLS_VERIFY !== undefined && process.env.DOCKER_TLS_VERIFY !== '',
      });
    } else {
      checked.push(`DOCKER_HOST=${dockerHost} (scheme not probed)`);
    }
  } else {
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    const sockets = [
      '/var/run/docker.sock',
      join(homedir(), '.docker/run/docker.sock'),
      ...(uid !== undefined ? [`/run/user/${uid}/docker.sock`] : []),
    ];
    for (const path of sockets) {
      if (!existsSync(path)) {
        checked.push(`unix://${path} (no such socket)`);
        continue;
      }
      candidates.push({ label: `unix://${path}`, open: () => connect(path), tls: false });
    }
  }
  for (const c of candidates) {
    const result = await ping(c.open, c.tls);
    checked.push(`${c.label} (${result})`);
    if (result === 'engine answered') return { reachable: true, checked };
  }
  return { reachable: false, checked };
}

/** `GET /_ping` over a fresh socket; the answer in words. */
function ping(open: () => Socket, tls: boolean): Promise<string> {
  return new Promise((resolve) => {
    let settled = false;
    let received = '';
    const socket = open();
    const finish = (answer: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(`no answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.on('connect', () => {
      // a TLS endpoint cannot be pinged in plain HTTP; an accepting port is the best quick sign
      if (tls) finish('engine answered');
      else socket.write('GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n');
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (/^HTTP\/1\.[01] 200/.test(received)) finish('engine answered');
      else if (/^HTTP\/1\.[01] \d{3}/.test(received)) finish(`answered ${received.slice(9, 12)}`);
    });
    socket.on('end', () =>
      finish(
        received === '' ? 'closed without answering' : `unexpected answer ${JSON.stringify(received.slice(0, 20))}`,
      ),
    );
  });
}
