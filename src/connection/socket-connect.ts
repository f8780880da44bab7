import { isIP, type OnReadOpts, Socket, type SocketConstructorOpts } from 'node:net';
import { type ConnectionOptions as TlsConnectionOptions, connect as tlsConnect } from 'node:tls';
import { ConnectionError } from './errors.js';
import { ReadBuffer } from './read-buffer.js';

interface OnReadOption {
  onread: OnReadOpts;
}

/** A connected socket, and for TCP the reused buffer its reads arrive in (TLS reads are 'data' events). */
export interface ConnectedSocket {
  socket: Socket;
  reads: ReadBuffer | undefined;
}

/**
 * Opens a TCP or TLS socket to `host:port`, failing with `ConnectionError` after `timeoutMs`.
 * For TLS the server name defaults to `host` when it is a DNS name, so the certificate is checked
 * against it (Node's default `checkServerIdentity`); an IP address is checked against the
 * certificate's IP entries. A TCP socket reads into one reused {@link ReadBuffer}.
 */
export function connectSocket(
  host: string,
  port: number,
  tls: TlsConnectionOptions | undefined,
  timeoutMs: number,
): Promise<ConnectedSocket> {
  return new Promise<ConnectedSocket>((resolve, reject) => {
    let socket: Socket;
    let reads: ReadBuffer | undefined;
    if (tls !== undefined) {
      const servername = tls.servername ?? (isIP(host) === 0 ? host : undefined);
      socket = tlsConnect({ ...tls, host, port, ...(servername !== undefined ? { servername } : {}) });
    } else {
      const buffer = new ReadBuffer();
      reads = buffer;
      // `onread` is a constructor option of net.Socket at run time (net.connect passes it there);
      // Node's type for the constructor options does not list it
      const options: SocketConstructorOpts & OnReadOption = {
        onread: { buffer: buffer.buffer, callback: buffer.onRead },
      };
      socket = new Socket(options);
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
      reject(
        new ConnectionError(host, port, `cannot connect: ${withoutAddress(cause.message, host, port)}`, { cause }),
      );
    };
    const onReady = (): void => {
      cleanup();
      socket.setNoDelay(true);
      socket.setKeepAlive(true);
      resolve({ socket, reads });
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

/**
 * Node ends a socket error's message with the address (`connect ECONNREFUSED 127.0.0.1:9042`);
 * the ConnectionError already starts with it, so it is said once.
 */
function withoutAddress(message: string, host: string, port: number): string {
  for (const address of [`${host}:${port}`, `[${host}]:${port}`]) {
    if (message.endsWith(` ${address}`)) return message.slice(0, -address.length - 1);
  }
  return message;
}
