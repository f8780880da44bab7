// Embedded server: the query traces it keeps and the system_traces tables that show them
// (the client reads them back in src/session/trace-reader.ts).

import type { DataType } from '../../protocol/types/index.js';
import { TimeUuid } from '../../protocol/types/index.js';
import type { Database } from '../execution/database.js';
import type { VirtualTableDefinition } from '../execution/virtual-table.js';

/** A tracing session as `system_traces.sessions` holds it. */
export interface TraceSession {
  readonly sessionId: TimeUuid;
  readonly client: string;
  /** 'QUERY' (Cassandra's Tracing.TraceType for requests). */
  readonly command: string;
  readonly coordinator: string;
  readonly coordinatorPort: number;
  /** Microseconds from the start of the request to its answer; null until the session stops. */
  duration: number | null;
  readonly parameters: ReadonlyMap<string, string>;
  /** What the request was, e.g. 'Execute CQL3 query'. */
  readonly request: string;
  readonly startedAt: Date;
}

/** One event of a session (`system_traces.events`). */
export interface TraceEvent {
  readonly eventId: TimeUuid;
  readonly activity: string;
  readonly source: string;
  readonly sourcePort: number;
  /** Microseconds since the session started, on the source node. */
  readonly sourceElapsed: number;
  readonly thread: string;
}

/** The sessions kept; the oldest go first (Cassandra expires them after a day). */
const SESSION_LIMIT = 1000;

/**
 * The traces of every node of an embedded cluster (one store: `system_traces` is a replicated
 * keyspace, so any node reads any trace). `begin`, `event`, `stop` write what Cassandra's
 * TraceKeyspace mutations write: the session row at the start, an event row per event, and the
 * duration when the request is done.
 */
export class TraceStore {
  private readonly sessions = new Map<string, TraceSession>();
  private readonly events = new Map<string, TraceEvent[]>();
  /** Time-uuid ticks within the current millisecond, so ids made in one millisecond stay in order. */
  private lastMs = 0;
  private ticks = 0;

  /** A new time-based id (Cassandra's nextTimeUUID). */
  nextId(now = Date.now()): TimeUuid {
    if (now === this.lastMs) this.ticks = Math.min(this.ticks + 1, 9999);
    else {
      this.lastMs = now;
      this.ticks = 0;
    }
    return TimeUuid.fromDate(new Date(now), this.ticks);
  }

  begin(session: TraceSession): void {
    const key = session.sessionId.toString();
    if (this.sessions.size >= SESSION_LIMIT) {
      const oldest = this.sessions.keys().next().value!;
      this.sessions.delete(oldest);
      this.events.delete(oldest);
    }
    this.sessions.set(key, session);
    this.events.set(key, []);
  }

  event(sessionId: TimeUuid, event: TraceEvent): void {
    this.events.get(sessionId.toString())?.push(event);
  }

  stop(sessionId: TimeUuid, durationMicros: number): void {
    const session = this.sessions.get(sessionId.toString());
    if (session !== undefined) session.duration = durationMicros;
  }

  /** The session rows, as the virtual table reads them. */
  *sessionRows(): Iterable<Readonly<Record<string, unknown>>> {
    for (const s of this.sessions.values()) {
      yield {
        session_id: s.sessionId,
        client: s.client,
        command: s.command,
        coordinator: s.coordinator,
        coordinator_port: s.coordinatorPort,
        duration: s.duration,
        parameters: s.parameters,
        request: s.request,
        started_at: s.startedAt,
      };
    }
  }

  /** The event rows, as the virtual table reads them. */
  *eventRows(): Iterable<Readonly<Record<string, unknown>>> {
    for (const [key, events] of this.events) {
      const sessionId = this.sessions.get(key)!.sessionId;
      for (const e of events) {
        yield {
          session_id: sessionId,
          event_id: e.eventId,
          activity: e.activity,
          source: e.source,
          source_elapsed: e.sourceElapsed,
          source_port: e.sourcePort,
          thread: e.thread,
        };
      }
    }
  }
}

const UUID: DataType = { kind: 'uuid' };
const TEXT: DataType = { kind: 'text' };
const INET: DataType = { kind: 'inet' };
const INT: DataType = { kind: 'int' };

/**
 * system_traces.sessions and system_traces.events with the columns and types of Cassandra
 * 4.0+/5.0's TraceKeyspace (sessions keyed by session_id; events by session_id, then event_id).
 */
export function traceTables(store: TraceStore): VirtualTableDefinition[] {
  return [
    {
      keyspace: 'system_traces',
      name: 'sessions',
      columns: [
        { name: 'session_id', type: UUID },
        { name: 'client', type: INET },
        { name: 'command', type: TEXT },
        { name: 'coordinator', type: INET },
        { name: 'coordinator_port', type: INT },
        { name: 'duration', type: INT },
        { name: 'parameters', type: { kind: 'map', key: TEXT, value: TEXT } },
        { name: 'request', type: TEXT },
        { name: 'started_at', type: { kind: 'timestamp' } },
      ],
      partitionKey: ['session_id'],
      rows: () => store.sessionRows(),
    },
    {
      keyspace: 'system_traces',
      name: 'events',
      columns: [
        { name: 'session_id', type: UUID },
        { name: 'event_id', type: { kind: 'timeuuid' } },
        { name: 'activity', type: TEXT },
        { name: 'source', type: INET },
        { name: 'source_elapsed', type: INT },
        { name: 'source_port', type: INT },
        { name: 'thread', type: TEXT },
      ],
      partitionKey: ['session_id'],
      clustering: ['event_id'],
      rows: () => store.eventRows(),
    },
  ];
}

/** Adds the system_traces tables over `store` to `database`. */
export function registerTraceTables(database: Database, store: TraceStore): void {
  for (const def of traceTables(store)) database.registerVirtualTable(def);
}
