import type { Envelope } from '../../protocol/envelope/index.js';
import { EnvelopeFlag, Opcode, opcodeName } from '../../protocol/envelope/index.js';
import { CqlwireError, ErrorCode } from '../../protocol/errors/index.js';
import type { RequestMessage } from '../../protocol/messages/index.js';
import { decodeRequestBody } from '../../protocol/messages/index.js';
import type { ActivityEntry } from './activity-log.js';
import type { PreparedShape } from './backend.js';
import type { ConnectionPhase, RequestContext } from './contracts.js';
import { errorResponseFor } from './error-response.js';
import { primedError } from './primed-error.js';
import type { ResolvedReaction } from './priming.js';
import { checkCredentials, checkStartup, PASSWORD_AUTHENTICATOR, supportedOptions } from './server-handshake.js';
import { preparedIdFor, serveBatch, serveExecute, servePrepare, serveQuery } from './statement-handler.js';
import { isTraceable, TracedRequest } from './traced-request.js';

/** The events REGISTER accepts (native_protocol_v5.spec §4.1.8 (REGISTER), §4.2.6). */
const EVENT_TYPES = new Set(['TOPOLOGY_CHANGE', 'STATUS_CHANGE', 'SCHEMA_CHANGE']);

/**
 * Serves one request envelope: decode, log, check the connection's phase as Cassandra's
 * ServerConnection does, apply a primed reaction if one matches, then answer.
 */
export function handleEnvelope<P extends PreparedShape>(
  connection: RequestContext<P>,
  envelope: Envelope,
  bodyOffset: number,
): void {
  let c = connection;
  const stream = envelope.stream;
  let request: RequestMessage;
  try {
    request = decodeRequestBody(envelope.opcode, envelope.body, c.version, bodyOffset);
  } catch (err) {
    logRequest(c, envelope.opcode, undefined);
    c.sendError(stream, { code: ErrorCode.PROTOCOL_ERROR, message: (err as Error).message });
    return;
  }
  const queryText = logRequest(c, envelope.opcode, request);

  const phaseError = checkPhase(c.phase, request.opcode);
  if (phaseError !== undefined) {
    c.sendError(stream, { code: ErrorCode.PROTOCOL_ERROR, message: phaseError });
    return;
  }
  // a traced request answers with its tracing session id (and writes system_traces)
  if ((envelope.flags & EnvelopeFlag.TRACING) !== 0 && isTraceable(request.opcode))
    c = new TracedRequest(c, request, queryText);

  const node = c.node;
  const pagingState = 'params' in request ? request.params.pagingState : undefined;
  const reaction =
    node.cluster.primes.size === 0
      ? undefined
      : node.cluster.primes.match({
          node: node.index,
          opcode: request.opcode,
          queries: queryText,
          pageNumber: node.cluster.pages.pageNumberOf(pagingState),
        });
  if (reaction === undefined) {
    serve(c, stream, request);
    return;
  }
  react(c, stream, request, reaction, queryText);
}

function react<P extends PreparedShape>(
  c: RequestContext<P>,
  stream: number,
  request: RequestMessage,
  reaction: ResolvedReaction,
  queryText: readonly string[],
): void {
  switch (reaction.kind) {
    case 'noResponse':
      return;
    case 'close':
      c.closeAfterFlush();
      return;
    case 'delay': {
      const timer = setTimeout(() => {
        c.timers.delete(timer);
        if (c.phase !== 'closed') serve(c, stream, request);
      }, reaction.delayMs);
      c.timers.add(timer);
      return;
    }
    case 'error': {
      const consistency =
        'params' in request ? request.params.consistency : request.opcode === Opcode.BATCH ? request.consistency : 1;
      const preparedId = request.opcode === Opcode.EXECUTE ? request.id : preparedIdFor(queryText[0] ?? '', c.keyspace);
      c.sendError(
        stream,
        primedError(reaction.code, reaction.message, {
          consistency,
          keyspace: c.keyspace,
          preparedId,
          nodeAddress: c.node.address,
        }),
      );
      return;
    }
  }
}

/** Cassandra's ServerConnection.validateNewMessage, with its messages. */
function checkPhase(phase: ConnectionPhase, opcode: number): string | undefined {
  if (phase === 'unstarted' && opcode !== Opcode.STARTUP && opcode !== Opcode.OPTIONS) {
    return `Unexpected message ${opcodeName(opcode)}, expecting STARTUP or OPTIONS`;
  }
  if (phase === 'authenticating' && opcode !== Opcode.AUTH_RESPONSE) {
    return `Unexpected message ${opcodeName(opcode)}, expecting SASL_RESPONSE`;
  }
  if (phase === 'ready' && opcode === Opcode.STARTUP) {
    return 'Unexpected message STARTUP, the connection is already initialized';
  }
  if (phase === 'ready' && opcode === Opcode.AUTH_RESPONSE) {
    return 'Unexpected message AUTH_RESPONSE, the connection is already authenticated';
  }
  return undefined;
}

/** Appends the request to the activity log; returns its CQL text(s) for the primes. */
function logRequest<P extends PreparedShape>(
  c: RequestContext<P>,
  opcode: number,
  request: RequestMessage | undefined,
): string[] {
  const entry: ActivityEntry = { node: c.node.index, connectionId: c.id, opcode: opcodeName(opcode), at: Date.now() };
  let texts: string[] = [];
  if (request !== undefined) {
    switch (request.opcode) {
      case Opcode.QUERY:
      case Opcode.PREPARE:
        texts = [request.query];
        break;
      case Opcode.EXECUTE: {
        const p = c.node.prepared.get(request.id.toString('hex'));
        if (p !== undefined) texts = [p.query];
        break;
      }
      case Opcode.BATCH:
        for (const s of request.statements) {
          const text = s.query ?? c.node.prepared.get(s.id.toString('hex'))?.query;
          if (text !== undefined) texts.push(text);
        }
        break;
      default:
        break;
    }
    if (texts.length > 0) entry.query = texts.join('; ');
    if ('params' in request) {
      if (request.params.pagingState !== undefined) entry.pagingState = Buffer.from(request.params.pagingState);
      if (request.params.pageSize !== undefined) entry.pageSize = request.params.pageSize;
    }
  }
  c.node.cluster.log(entry);
  return texts;
}

/** The normal answer to a request. */
function serve<P extends PreparedShape>(c: RequestContext<P>, stream: number, request: RequestMessage): void {
  try {
    switch (request.opcode) {
      case Opcode.OPTIONS:
        c.send(stream, { opcode: Opcode.SUPPORTED, options: supportedOptions(c.node.options) });
        return;
      case Opcode.STARTUP:
        serveStartup(c, stream, request.options);
        return;
      case Opcode.AUTH_RESPONSE: {
        const creds = c.node.options.credentials;
        const error = creds === undefined ? undefined : checkCredentials(request.token, creds);
        // read once: wipe the token, so the decoder's copy of the password does not linger in
        // memory that other Buffers of this process may share
        request.token?.fill(0);
        if (error !== undefined) {
          c.sendError(stream, error);
          return;
        }
        c.phase = 'ready';
        c.send(stream, { opcode: Opcode.AUTH_SUCCESS, token: null });
        return;
      }
      case Opcode.REGISTER:
        for (const e of request.events) {
          if (!EVENT_TYPES.has(e)) {
            c.sendError(stream, { code: ErrorCode.PROTOCOL_ERROR, message: `Invalid value '${e}' for Type` });
            return;
          }
        }
        for (const e of request.events) c.registered.add(e);
        c.send(stream, { opcode: Opcode.READY });
        return;
      case Opcode.QUERY:
        serveQuery(c, stream, request);
        return;
      case Opcode.PREPARE:
        servePrepare(c, stream, request);
        return;
      case Opcode.EXECUTE:
        serveExecute(c, stream, request);
        return;
      case Opcode.BATCH:
        serveBatch(c, stream, request);
        return;
    }
  } catch (err) {
    // Anything but our own error types is a server bug: answered as Cassandra answers one
    // (0x0000), and kept in `server.internalErrors` for tests to see.
    if (!(err instanceof CqlwireError)) c.node.reportInternalError(err);
    c.sendError(stream, errorResponseFor(err));
  }
}

function serveStartup<P extends PreparedShape>(
  c: RequestContext<P>,
  stream: number,
  options: ReadonlyMap<string, string>,
): void {
  const checked = checkStartup(options, c.version, c.node.options);
  if ('error' in checked) {
    c.sendError(stream, checked.error);
    // Cassandra's InitialConnectionHandler switches a v5 connection to framing once it wrote the
    // STARTUP answer, error or not.
    if (c.version >= 5) c.switchFraming();
    return;
  }
  c.compression = checked.compression;
  // native_protocol_v4.spec §5: on v4 with lz4 the answer to STARTUP is already compressed (the
  // recordings show a compressed READY), so compression starts before it is queued; what was queued
  // before (a pipelined SUPPORTED) stays uncompressed.
  if (c.version < 5 && c.compression === 'lz4') c.switchFraming();
  if (c.node.options.credentials !== undefined) {
    c.phase = 'authenticating';
    c.send(stream, { opcode: Opcode.AUTHENTICATE, authenticator: PASSWORD_AUTHENTICATOR });
  } else {
    c.phase = 'ready';
    c.send(stream, { opcode: Opcode.READY });
  }
  // native_protocol_v5.spec §2.3.1: v5 frames everything after this answer, which itself goes out unframed.
  if (c.version >= 5) c.switchFraming();
}
