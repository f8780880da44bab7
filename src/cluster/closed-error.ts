import { CqlwireError } from '../protocol/errors/index.js';

/** What a {@link ClosedError} found closed. */
export type ClosedResource = 'cluster' | 'session';

/**
 * A call on a cluster or session after its `shutdown()`: `connect()`, `execute()`, `prepare()`,
 * `batch()`, `executeStream()` and the like reject with it, before anything is sent or any
 * connection opened. Not the caller's bad argument but the object's state: make a new `Cluster`,
 * or get a new session from `cluster.connect()`.
 */
export class ClosedError extends CqlwireError {
  /** What was shut down: the whole cluster, or just this session. */
  readonly closed: ClosedResource;

  /** `operation` names the refused call, e.g. `'batch()'`. */
  constructor(closed: ClosedResource, operation: string) {
    super(
      closed === 'cluster'
        ? `${operation} after cluster.shutdown(): the cluster is closed; make a new Cluster`
        : `${operation} after session.shutdown(): the session is closed; get a new one from cluster.connect()`,
    );
    this.closed = closed;
  }
}
