/**
 * Counters a connection keeps current for whoever opened it (the cluster's metrics give one per
 * host): bytes read and written on the socket, and how many connections are open. Plain fields,
 * so counting costs an addition.
 */
export interface ConnectionMeter {
  /** Bytes read from the socket (every chunk, framing included). */
  bytesIn: number;
  /** Bytes handed to the socket. */
  bytesOut: number;
  /** Connections open now (counted from the end of the handshake to the close). */
  connections: number;
}
