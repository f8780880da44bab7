/**
 * Logging what cqlwire does, from its diagnostics channels and the cluster's events: connections
 * opening and closing, hosts going down and up, schema changes, retries, failed and slow requests,
 * and a metrics summary at the end. Nothing is built for a channel nobody subscribes to, so a
 * logger like this one costs only what it logs.
 *
 *   npx tsx examples/diagnostics-logging.ts
 */

import diagnosticsChannel from 'node:diagnostics_channel';
import {
  ChannelName,
  Cluster,
  type ConnectionCloseMessage,
  type ConnectionOpenMessage,
  type HostMessage,
  type RequestErrorMessage,
  type RequestResponseMessage,
  type RequestRetryMessage,
  type SchemaChangeMessage,
} from '../src/index.js';
import { startEmbeddedServer } from '../src/server/index.js';

const SLOW_MS = 500;

function log(line: string): void {
  console.log(`[cqlwire] ${line}`);
}

/** What each channel logs. */
const handlers: Record<string, (message: unknown) => void> = {
  [ChannelName.connectionOpen]: (m) => {
    const { endpoint, protocolVersion } = m as ConnectionOpenMessage;
    log(`connection open ${endpoint} v${protocolVersion}`);
  },
  [ChannelName.connectionClose]: (m) => {
    const { endpoint, error } = m as ConnectionCloseMessage;
    log(`connection closed ${endpoint}${error !== undefined ? `: ${error.message}` : ''}`);
  },
  [ChannelName.hostAdded]: (m) => log(`host added ${(m as HostMessage).host.endpoint}`),
  [ChannelName.schemaChange]: (m) => {
    const { change } = m as SchemaChangeMessage;
    log(`schema ${change.change} ${change.target} ${change.keyspace}`);
  },
  [ChannelName.requestRetry]: (m) => {
    const { error, host, nextHost, pageNumber } = m as RequestRetryMessage;
    log(
      `retry after ${error.name} on ${host ?? '?'}${pageNumber !== undefined ? ` (page ${pageNumber})` : ''}, next ${nextHost ?? 'by the next attempt'}`,
    );
  },
  [ChannelName.requestError]: (m) => {
    const { request, error } = m as RequestErrorMessage;
    log(`${request.kind} failed: ${error.name}: ${request.query ?? `batch of ${request.batchSize}`}`);
  },
  [ChannelName.requestResponse]: (m) => {
    const { request, latencyMs, host } = m as RequestResponseMessage;
    if (latencyMs > SLOW_MS)
      log(`slow ${request.kind} (${latencyMs.toFixed(0)} ms on ${host.endpoint}): ${request.query}`);
  },
};
for (const [name, handler] of Object.entries(handlers)) diagnosticsChannel.subscribe(name, handler);

const server = await startEmbeddedServer({ nodes: 3, port: 0 });
const cluster = new Cluster({
  contactPoints: [server.contactPoints[0]!],
  reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
});
// host up/down as cluster events (the host:up and host:down channels say the same)
cluster.on('hostDown', (host) => log(`host down ${host.endpoint}`));
cluster.on('hostUp', (host) => log(`host up ${host.endpoint}`));
try {
  const session = await cluster.connect();
  await session.execute("CREATE KEYSPACE logs WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
  await session.execute('SELECT * FROM system_schema.keyspaces');
  // a read of a missing table: refused once as overloaded (primed), so the retry policy moves to
  // the next node, which then answers that the table does not exist
  server.prime({ when: { query: 'FROM logs', times: 1 }, then: { error: { code: 'OVERLOADED' } } });
  await session.execute('SELECT * FROM logs.missing').catch(() => undefined);
  // a node stops and comes back
  const third = cluster.hosts[2]!;
  await server.nodes[2]!.stop();
  while (third.isUp) await new Promise((resolve) => setTimeout(resolve, 20));
  await server.nodes[2]!.start();
  while (!third.isUp) await new Promise((resolve) => setTimeout(resolve, 20));
  const m = cluster.metrics;
  log(
    `metrics: ${m.requests} requests, ${m.retries} retries, errors ${JSON.stringify(m.errors)}, ${m.inFlight} in flight, p99 ${m.latency.p99.toFixed(1)} ms`,
  );
} finally {
  server.clearPrimes();
  await cluster.shutdown();
  await server.stop();
  for (const [name, handler] of Object.entries(handlers)) diagnosticsChannel.unsubscribe(name, handler);
}
