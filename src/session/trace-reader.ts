import { checkMilliseconds } from '../connection/index.js';
import { Consistency } from '../protocol/consistency.js';
import { ArgumentError, CqlwireError } from '../protocol/errors/index.js';
import type { Row } from '../protocol/rows/index.js';
import { type TimeUuid, Uuid } from '../protocol/types/index.js';
import type { ExecuteOptions } from './query-options.js';

/** One event of a query trace (a row of `system_traces.events`). */
export interface QueryTraceEvent {
  /** When it happened (the time of its `event_id`). */
  readonly at: Date;
  readonly activity: string;
  /** The node that recorded it (its address). */
  readonly source: string;
  /** Microseconds since the request started, on that node. */
  readonly sourceElapsedMicros: number;
  readonly thread: string;
}

/** What `session.getTrace(id)` returns: the tracing session and its events, in order. */
export interface QueryTrace {
  readonly id: Uuid;
  /** The node that coordinated the request (its address). */
  readonly coordinator: string;
  /** Microseconds from the start of the request to its answer, on the coordinator. */
  readonly durationMicros: number;
  /** What the request was, e.g. 'Execute CQL3 query'. */
  readonly request: string;
  readonly startedAt: Date;
  /** The request's parameters as the server recorded them (query, consistency_level, page_size, ...). */
  readonly parameters: ReadonlyMap<string, string>;
  /** The client's address as the coordinator saw it. */
  readonly client: string | undefined;
  readonly events: readonly QueryTraceEvent[];
}

/** Options of `session.getTrace()`. */
export interface GetTraceOptions {
  /** Reads of the session row before giving up while it is being written. Default 5. */
  attempts?: number;
  /** Wait between two reads (ms). Default 400. */
  delayMs?: number;
  /** Consistency of the reads. Default ONE. */
  consistency?: Consistency;
}

/** The trace was not (fully) written after every attempt: try again later. */
export class TraceUnavailableError extends CqlwireError {
  readonly tracingId: Uuid;
  constructor(tracingId: Uuid, attempts: number, delayMs: number, found: boolean) {
    super(
      `Trace ${tracingId.toString()} ${found ? 'is still being written (its session has no duration yet)' : 'was not found'} after ${attempts} reads ${delayMs} ms apart; try again later or raise getTrace's attempts`,
    );
    this.tracingId = tracingId;
  }
}

/** How the reader runs a statement (`session.execute`). */
export type TraceQuery = (
  query: string,
  params: readonly unknown[],
  options: ExecuteOptions,
) => Promise<{ all(): Promise<Row[]> }>;

const SESSION_QUERY = 'SELECT * FROM system_traces.sessions WHERE session_id = ?';
const EVENTS_QUERY = 'SELECT * FROM system_traces.events WHERE session_id = ?';

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * Reads a trace as the DataStax drivers do: the session row first, again after `delayMs` while it
 * is missing or its `duration` is still null (the coordinator writes the duration once the
 * request is done, asynchronously), up to `attempts` reads; then the events.
 */
export async function readTrace(
  run: TraceQuery,
  tracingId: Uuid | string,
  options?: GetTraceOptions,
): Promise<QueryTrace> {
  const id = typeof tracingId === 'string' ? Uuid.fromString(tracingId) : tracingId;
  if (!(id instanceof Uuid))
    throw new ArgumentError('getTrace needs the tracing id (rs.info.tracingId: a Uuid or its text)');
  const attempts = options?.attempts ?? 5;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100)
    throw new ArgumentError(`getTrace attempts must be an integer 1..100, got ${String(options?.attempts)}`);
  const delayMs = checkMilliseconds('getTrace delayMs', options?.delayMs ?? 400);
  const queryOptions: ExecuteOptions = { consistency: options?.consistency ?? Consistency.ONE };
  let found = false;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const session = (await (await run(SESSION_QUERY, [id], queryOptions)).all())[0];
    found = session !== undefined;
    const duration = session?.get('duration') as number | null | undefined;
    if (session === undefined || duration === null || duration === undefined) continue;
    const events = await (await run(EVENTS_QUERY, [id], queryOptions)).all();
    const parameters = session.get('parameters') as Map<string, string> | null;
    const client = session.get('client');
    return {
      id,
      coordinator: text(session.get('coordinator')),
      durationMicros: duration,
      request: text(session.get('request')),
      startedAt: session.get('started_at') as Date,
      parameters: parameters ?? new Map(),
      client: client === null ? undefined : text(client),
      events: events.map((e) => ({
        at: (e.get('event_id') as TimeUuid).getDate(),
        activity: text(e.get('activity')),
        source: text(e.get('source')),
        sourceElapsedMicros: (e.get('source_elapsed') as number | null) ?? 0,
        thread: text(e.get('thread')),
      })),
    };
  }
  throw new TraceUnavailableError(id, attempts, delayMs, found);
}
