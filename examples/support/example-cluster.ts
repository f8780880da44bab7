/**
 * Where the examples run: a real cluster when `CQLWIRE_CONTACT_POINTS` is set (comma-separated
 * `host[:port]`, with `CQLWIRE_USERNAME` / `CQLWIRE_PASSWORD` and `CQLWIRE_DC` when needed),
 * otherwise an embedded server on 127.0.0.1 started just for the example. Either way the
 * `examples` keyspace gets two tables of synthetic data:
 *
 *   examples.users    (id int PRIMARY KEY, name text, email text, score double, active boolean, created_at timestamp)
 *   examples.readings (sensor text, seq int, value double, at timestamp, PRIMARY KEY (sensor, seq))
 *
 * `CQLWIRE_EXAMPLE_ROWS` sets how many users (default 20,000); readings are 5 sensors x rows/5.
 */

import type { Session } from '../../src/index.js';
import { Cluster } from '../../src/index.js';
import type { EmbeddedServer } from '../../src/server/index.js';
import { startEmbeddedServer } from '../../src/server/index.js';

export const SENSORS = ['s1', 's2', 's3', 's4', 's5'] as const;

export interface ExampleCluster {
  readonly session: Session;
  readonly rows: number;
  /** Shuts the cluster (and the embedded server, if one was started) down. */
  readonly close: () => Promise<void>;
}

const EPOCH = Date.UTC(2024, 0, 1);

function user(i: number): Record<string, unknown> {
  return {
    id: i,
    name: `User ${i}`,
    email: `user${i}@example.com`,
    score: ((i * 37) % 1000) / 10,
    active: i % 3 !== 0,
    created_at: new Date(EPOCH + i * 60_000),
  };
}

function reading(i: number): Record<string, unknown> {
  return {
    sensor: SENSORS[i % SENSORS.length],
    seq: Math.floor(i / SENSORS.length),
    value: Math.sin(i / 50) * 20 + 20,
    at: new Date(EPOCH + i * 1000),
  };
}

const SCHEMA = [
  "CREATE KEYSPACE IF NOT EXISTS examples WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
  'CREATE TABLE IF NOT EXISTS examples.users (id int PRIMARY KEY, name text, email text, score double, active boolean, created_at timestamp)',
  'CREATE TABLE IF NOT EXISTS examples.readings (sensor text, seq int, value double, at timestamp, PRIMARY KEY (sensor, seq))',
];

export async function exampleCluster(): Promise<ExampleCluster> {
  const rows = Number(process.env.CQLWIRE_EXAMPLE_ROWS ?? 20_000);
  const contactPoints = process.env.CQLWIRE_CONTACT_POINTS;
  let server: EmbeddedServer | undefined;
  let cluster: Cluster;
  if (contactPoints !== undefined && contactPoints !== '') {
    const username = process.env.CQLWIRE_USERNAME;
    const password = process.env.CQLWIRE_PASSWORD;
    cluster = new Cluster({
      contactPoints: contactPoints.split(',').map((s) => s.trim()),
      ...(process.env.CQLWIRE_DC !== undefined ? { localDataCenter: process.env.CQLWIRE_DC } : {}),
      ...(username !== undefined && password !== undefined ? { credentials: { username, password } } : {}),
    });
  } else {
    server = await startEmbeddedServer({ port: 0 });
    cluster = new Cluster({ contactPoints: server.contactPoints });
  }
  const session = await cluster.connect();
  for (const cql of SCHEMA) await session.execute(cql);
  if (server !== undefined) {
    server.load('examples', 'users', { count: rows, generate: user });
    server.load('examples', 'readings', { count: rows, generate: reading });
  } else {
    await fill(session, rows);
  }
  return {
    session,
    rows,
    close: async () => {
      await cluster.shutdown();
      await server?.stop();
    },
  };
}

/** Writes the data to a real cluster, 64 inserts at a time (idempotent: the same rows each run). */
async function fill(session: Session, rows: number): Promise<void> {
  const insertUser = await session.prepare(
    'INSERT INTO examples.users (id, name, email, score, active, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertReading = await session.prepare(
    'INSERT INTO examples.readings (sensor, seq, value, at) VALUES (?, ?, ?, ?)',
  );
  for (let start = 0; start < rows; start += 64) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(rows, start + 64); i++) {
      const u = user(i);
      const r = reading(i);
      batch.push(session.execute(insertUser, [u.id, u.name, u.email, u.score, u.active, u.created_at]));
      batch.push(session.execute(insertReading, [r.sensor, r.seq, r.value, r.at]));
    }
    await Promise.all(batch);
  }
}
