import { Socket, isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { ConnectionError } from './errors.js';

/**
 * Opens a TCP or TLS socket to `host:port`, failing with `ConnectionError` after `timeoutMs`.
 * For TLS the server name defaults to `host` when it is a DNS name, so the certificate is checked
 * against it (Node's default `checkServerIdentity`); an IP address is checked against the
 * certificate's IP entries.
 */
export function connectSocket(host: string, port: number, tls: TlsConnectionOptions | undefined, timeoutMs: number): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    let socket: Socket;
    if (tls !== undefined) {
      const servername = tls.servername ?? (isIP(host) === 0 ? host : undefined);
      socket = tlsConnect({ ...tls, host, port, ...(servername !== undefined ? { servername } : {}) });
    } else {
      socket = new Socket();
      socket.connect(port, host);
    }
    const readyEvent = tls !== undefined ? 'secureConnect' : 'connect';
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off(readyEvent, onReady);
    };
    const onError = (cause: Error): void => {
      cleanup();
      socket.destroy();
      reject(new ConnectionError(host, port, `cannot connect: ${cause.message}`, { cause }));
    };
    const onReady = (): void => {
      cleanup();
      socket.setNoDelay(true);
      socket.setKeepAlive(true);
      resolve(socket);
    };
    const timer = setTimeout(() => {
      cleanup();
      socket.destroy();
      reject(new ConnectionError(host, port, `connect timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', onError);
    socket.once(readyEvent, onReady);
  });
}
