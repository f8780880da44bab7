/** One request a node received (docs/embedded-server.md "What the nodes received": the shape is a contract). */
export interface ActivityEntry {
  /** Index of the node in `server.nodes`. */
  node: number;
  /** The connection's id, unique within the server. */
  connectionId: number;
  /** The request's opcode name: 'QUERY', 'EXECUTE', 'PREPARE', 'BATCH', 'OPTIONS', 'STARTUP', ... */
  opcode: string;
  /** CQL text; for EXECUTE the prepared statement's text; for BATCH the statements joined by '; '. */
  query?: string;
  /** The paging state the request carried, if any. */
  pagingState?: Buffer;
  /** The page size the request asked for, if any. */
  pageSize?: number;
  /** Milliseconds since the epoch when the request was received. */
  at: number;
}
