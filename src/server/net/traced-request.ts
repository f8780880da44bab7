// Embedded server: a request sent with the TRACING flag (native_protocol_v5.spec §2.4.1.2 (flags)).

import { consistencyName } from '../../protocol/consistency.js';
import { EnvelopeFlag, Opcode } from '../../protocol/envelope/index.js';
import type { ErrorResponse } from '../../protocol/errors/index.js';
import type { OutgoingResponseMessage, QueryParameters, RequestMessage } from '../../protocol/messages/index.js';
import type { ProtocolVersion } from '../../protocol/protocol-version.js';
import type { TimeUuid } from '../../protocol/types/index.js';
import type { PreparedShape } from './backend.js';
import type { ConnectionPhase, NodeView, RequestContext } from './contracts.js';
import type { TraceStore } from './trace-store.js';

/** The internode port a node reports (as system.peers_v2's peer_port: 7000, one per node on one address). */
function storagePort(node: NodeView<PreparedShape>): number {
  return node.options.sameHost ? 7000 + node.index : 7000;
}

/** The thread Cassandra's native transport runs a request on. */
const THREAD = 'Native-Transport-Requests-1';

/** True for the requests Cassandra traces (Message.Request.isTraceable: QUERY, PREPARE, EXECUTE, BATCH). */
export function isTraceable(opcode: number): boolean {
  return opcode === Opcode.QUERY || opcode === Opcode.PREPARE || opcode === Opcode.EXECUTE || opcode === Opcode.BATCH;
}

/** The session's `request` and `parameters`, as Cassandra's QueryMessage/ExecuteMessage/PrepareMessage/BatchMessage begin them. */
function describe(
  request: RequestMessage,
  queryText: readonly string[],
): { what: string; parameters: Map<string, string> } {
  const parameters = new Map<string, string>();
  const queryParameters = (p: QueryParameters): void => {
    if (p.pageSize !== undefined && p.pageSize > 0) parameters.set('page_size', String(p.pageSize));
    parameters.set('consistency_level', consistencyName(p.consistency));
    if (p.serialConsistency !== undefined)
      parameters.set('serial_consistency_level', consistencyName(p.serialConsistency));
  };
  switch (request.opcode) {
    case Opcode.QUERY:
      parameters.set('query', request.query);
      queryParameters(request.params);
      return { what: 'Execute CQL3 query', parameters };
    case Opcode.EXECUTE:
      queryParameters(request.params);
      if (queryText[0] !== undefined) parameters.set('query', queryText[0]);
      return { what: 'Execute CQL3 prepared query', parameters };
    case Opcode.PREPARE:
      parameters.set('query', request.query);
      return { what: 'Preparing CQL3 query', parameters };
    case Opcode.BATCH:
      parameters.set('consistency_level', consistencyName(request.consistency));
      if (request.serialConsistency !== undefined)
        parameters.set('serial_consistency_level', consistencyName(request.serialConsistency));
      return { what: 'Execute batch of CQL3 queries', parameters };
    default:
      return { what: 'Execute CQL3 query', parameters };
  }
}

/**
 * A traceable request's context: starts a tracing session (the session row and the events of
 * parsing), then answers through the connection with the session id in front of the body and
 * the TRACING flag set (native_protocol_v5.spec §2.4.1.2 (flags)), on a result and on an error
 * alike, as Cassandra's Message.Request.execute does; the answer's events and the duration are
 * written as it is sent.
 */
export class TracedRequest<P extends PreparedShape> implements RequestContext<P> {
  private readonly sessionId: TimeUuid;
  private readonly idBytes: Buffer;
  private readonly started = process.hrtime.bigint();
  private readonly traces: TraceStore;
  private done = false;

  constructor(
    private readonly c: RequestContext<P>,
    request: RequestMessage,
    queryText: readonly string[],
  ) {
    this.traces = c.node.cluster.traces;
    this.sessionId = this.traces.nextId();
    this.idBytes = this.sessionId.toBuffer();
    const { what, parameters } = describe(request, queryText);
    this.traces.begin({
      sessionId: this.sessionId,
      client: c.socket.remoteAddress ?? '127.0.0.1',
      command: 'QUERY',
      coordinator: c.node.address,
      coordinatorPort: storagePort(c.node),
      duration: null,
      parameters,
      request: what,
      startedAt: new Date(),
    });
    if (request.opcode === Opcode.QUERY || request.opcode === Opcode.PREPARE) {
      this.event(`Parsing ${request.query}`);
      this.event('Preparing statement');
    }
  }

  get id(): number {
    return this.c.id;
  }
  get node(): NodeView<P> {
    return this.c.node;
  }
  get registered(): Set<string> {
    return this.c.registered;
  }
  get timers(): Set<NodeJS.Timeout> {
    return this.c.timers;
  }
  get socket(): RequestContext<P>['socket'] {
    return this.c.socket;
  }
  get phase(): ConnectionPhase {
    return this.c.phase;
  }
  set phase(value: ConnectionPhase) {
    this.c.phase = value;
  }
  get version(): ProtocolVersion {
    return this.c.version;
  }
  set version(value: ProtocolVersion) {
    this.c.version = value;
  }
  get keyspace(): string | undefined {
    return this.c.keyspace;
  }
  set keyspace(value: string | undefined) {
    this.c.keyspace = value;
  }
  get compression(): 'none' | 'lz4' {
    return this.c.compression;
  }
  set compression(value: 'none' | 'lz4') {
    this.c.compression = value;
  }

  send(stream: number, msg: OutgoingResponseMessage, flags = 0, headCapacity = 64): void {
    if (msg.opcode === Opcode.RESULT) {
      if (msg.kind === 'rows') this.event(`Read ${msg.rowCount} live rows and 0 tombstone cells`);
      else if (msg.kind === 'void') {
        this.event('Determining replicas for mutation');
        this.event('Appending to commitlog');
      }
    }
    this.stop();
    this.c.send(stream, msg, flags | EnvelopeFlag.TRACING, headCapacity, this.idBytes);
  }

  sendError(stream: number, error: ErrorResponse): void {
    this.stop();
    this.c.sendError(stream, error, this.idBytes);
  }

  switchFraming(): void {
    this.c.switchFraming();
  }

  closeAfterFlush(): void {
    this.c.closeAfterFlush();
  }

  private elapsedMicros(): number {
    return Math.min(Number((process.hrtime.bigint() - this.started) / 1000n), 0x7fffffff);
  }

  private event(activity: string): void {
    this.traces.event(this.sessionId, {
      eventId: this.traces.nextId(),
      activity,
      source: this.c.node.address,
      sourcePort: storagePort(this.c.node),
      sourceElapsed: this.elapsedMicros(),
      thread: THREAD,
    });
  }

  private stop(): void {
    if (this.done) return;
    this.done = true;
    this.traces.stop(this.sessionId, this.elapsedMicros());
  }
}
