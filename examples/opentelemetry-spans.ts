/**
 * OpenTelemetry spans from cqlwire's diagnostics channels, with no monkey-patching: one CLIENT
 * span per request (execute, batch, prepare, and each page of a stream), opened on the tracing
 * channel's `start`, given the node on `cqlwire:request:sent`, ended on `asyncEnd`, with the
 * error recorded on `error`. Here the spans go to a small in-memory provider and are printed;
 * register the OpenTelemetry SDK's provider instead and they go to your exporter.
 *
 *   npx tsx examples/opentelemetry-spans.ts
 */

import diagnosticsChannel from 'node:diagnostics_channel';
import { type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import {
  ChannelName,
  Cluster,
  Consistency,
  type RequestDiagnostics,
  type RequestSentMessage,
  TracingChannelName,
} from '../src/index.js';
import { startEmbeddedServer } from '../src/server/index.js';
import { RecordingTracerProvider } from './support/recording-tracer.js';

const CONSISTENCY_NAMES = new Map<number, string>(Object.entries(Consistency).map(([name, n]) => [n, name]));

/** Subscribes the tracer to cqlwire's channels; returns the function that unsubscribes. */
export function instrumentCqlwire(tracer: Tracer): () => void {
  const spans = new WeakMap<RequestDiagnostics, Span>();
  const unsubscribes: (() => void)[] = [];
  for (const name of Object.values(TracingChannelName)) {
    const handlers = {
      start(request: RequestDiagnostics) {
        const attributes: Record<string, string | number> = { 'db.system': 'cassandra' };
        if (request.query !== undefined) attributes['db.query.text'] = request.query;
        if (request.keyspace !== undefined) attributes['db.namespace'] = request.keyspace;
        if (request.consistency !== undefined)
          attributes['db.cassandra.consistency_level'] = CONSISTENCY_NAMES.get(request.consistency) ?? '';
        if (request.pageNumber !== undefined) attributes['cqlwire.page'] = request.pageNumber;
        if (request.batchSize !== undefined) attributes['db.operation.batch.size'] = request.batchSize;
        spans.set(request, tracer.startSpan(`cqlwire.${request.kind}`, { kind: SpanKind.CLIENT, attributes }));
      },
      end() {
        // the request is under way; its answer ends the span (asyncEnd)
      },
      asyncStart() {
        // nothing to do between the answer and asyncEnd
      },
      error(request: RequestDiagnostics) {
        const span = spans.get(request);
        const error = request.error as Error;
        span?.recordException(error);
        span?.setStatus({ code: SpanStatusCode.ERROR, message: error.name });
      },
      asyncEnd(request: RequestDiagnostics) {
        spans.get(request)?.end();
        spans.delete(request);
      },
    };
    const channel = diagnosticsChannel.tracingChannel<object, RequestDiagnostics>(name);
    channel.subscribe(handlers);
    unsubscribes.push(() => channel.unsubscribe(handlers));
  }
  const onSent = (message: unknown): void => {
    const { request, host } = message as RequestSentMessage;
    spans.get(request)?.setAttributes({ 'server.address': host.address, 'server.port': host.port });
  };
  diagnosticsChannel.subscribe(ChannelName.requestSent, onSent);
  unsubscribes.push(() => diagnosticsChannel.unsubscribe(ChannelName.requestSent, onSent));
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}

const provider = new RecordingTracerProvider();
trace.setGlobalTracerProvider(provider);
const stop = instrumentCqlwire(trace.getTracer('cqlwire-example'));

const server = await startEmbeddedServer({ nodes: 1, port: 0 });
const cluster = new Cluster({ contactPoints: server.contactPoints });
try {
  const session = await cluster.connect();
  await session.execute("CREATE KEYSPACE otel WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await session.execute('CREATE TABLE otel.kv (k int PRIMARY KEY, v text)');
  provider.finished.length = 0; // keep the spans of what follows
  const insert = await session.prepare('INSERT INTO otel.kv (k, v) VALUES (?, ?)');
  await session.batch([0, 1, 2, 3, 4].map((k) => ({ query: insert, params: [k, `v${k}`] })));
  await session.execute('SELECT v FROM otel.kv WHERE k = 1', [], { consistency: Consistency.ONE });
  const stream = await session.executeStream('SELECT k, v FROM otel.kv', [], { fetchSize: 2 });
  for await (const _ of stream);
  await session.execute('SELECT nope FROM otel.kv').catch(() => undefined);
} finally {
  stop();
  await cluster.shutdown();
  await server.stop();
}

for (const span of provider.finished) {
  const a = span.attributes;
  const where = String(a['server.address']);
  const what = a['db.query.text'] ?? `${String(a['db.operation.batch.size'])} statements`;
  const page = a['cqlwire.page'] !== undefined ? ` page ${String(a['cqlwire.page'])}` : '';
  const status = span.status.code === SpanStatusCode.ERROR ? `ERROR ${span.status.message ?? ''}` : 'OK';
  console.log(`${span.name}${page} [${where}] ${String(what)}: ${status}`);
}
