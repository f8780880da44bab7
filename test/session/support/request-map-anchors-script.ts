/**
 * Run by request-map-anchors.test.ts in a Node process of its own with `--allow-natives-syntax
 * --expose-gc`: makes prepared, speculated requests against embedded nodes, has V8 optimize the
 * request path's methods over them, lets every request finish, runs a full collection and prints
 * (one JSON object) which of those methods were optimized before it and which still are after.
 * Without the map anchors (protocol/map-anchors.ts) the instances those methods were optimized for
 * all die in the collection, their maps are dropped and the methods deoptimized ("weak objects").
 */
import { PendingRequest } from '../../../src/connection/pending-request.js';
import { Cluster } from '../../../src/index.js';
import { GatherOutput, PrimitiveReader, PrimitiveWriter } from '../../../src/protocol/primitives/index.js';
import { startEmbeddedServer } from '../../../src/server/index.js';
import { ResultSet } from '../../../src/session/result-set.js';
import { QueryPlanCursor } from '../../../src/session/speculative-execution.js';

type Natives = (f: unknown) => unknown;
/** V8 natives syntax is not TypeScript: compiled at run time, where --allow-natives-syntax applies. */
function natives(body: string): Natives {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- constant V8 natives calls, see above
  return new Function('f', body) as Natives;
}
const prepare = natives('%PrepareFunctionForOptimization(f);');
const optimizeNext = natives('%OptimizeFunctionOnNextCall(f);');
const status = natives('return %GetOptimizationStatus(f);');
/** V8's OptimizationStatus bit "has optimized code" (kOptimized, bit 4 since V8 9). */
const OPTIMIZED = 1 << 4;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

/** A prototype's own method or getter, as V8 sees it (not bound: only its code is looked at). */
function own(prototype: object, name: string): unknown {
  const d: { get?: unknown; value?: unknown } | undefined = Object.getOwnPropertyDescriptor(prototype, name);
  return d?.get ?? d?.value;
}

/** Request-path methods that read instances made per request or per answer. */
const methods: Record<string, unknown> = {
  'PrimitiveReader.int': own(PrimitiveReader.prototype, 'int'),
  'PrimitiveReader.short': own(PrimitiveReader.prototype, 'short'),
  'PrimitiveWriter.short': own(PrimitiveWriter.prototype, 'short'),
  'PrimitiveWriter.bytes': own(PrimitiveWriter.prototype, 'bytes'),
  'GatherOutput.reserve': own(GatherOutput.prototype, 'reserve'),
  'GatherOutput.finish': own(GatherOutput.prototype, 'finish'),
  'PendingRequest.settle': own(PendingRequest.prototype, 'settle'),
  'QueryPlanCursor.next': own(QueryPlanCursor.prototype, 'next'),
  'QueryPlanCursor.tried': own(QueryPlanCursor.prototype, 'tried'),
  'ResultSet.rowLength': own(ResultSet.prototype, 'rowLength'),
};

const server = await startEmbeddedServer({ nodes: 3, port: 0 });
server.execute("CREATE KEYSPACE anchors WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
server.execute('CREATE TABLE anchors.kv (k int PRIMARY KEY, v text)');
server.load('anchors', 'kv', { count: 100, generate: (i) => [i, `value ${i}`] });
const cluster = new Cluster({
  contactPoints: server.contactPoints,
  speculativeExecution: { delayMs: 1000, maxExtra: 1 },
});
const session = await cluster.connect();
const statement = await session.prepare('SELECT v FROM anchors.kv WHERE k = ?', { idempotent: true });

/** `n` requests, 8 at a time; every result read. */
async function requests(n: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const rs = await session.execute(statement, [next++ % 100]);
      if (rs.rowLength !== 1) throw new Error(`expected one row, got ${rs.rowLength}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

const optimized = (): string[] =>
  Object.keys(methods).filter((name) => ((status(methods[name]) as number) & OPTIMIZED) !== 0);

try {
  for (const f of Object.values(methods)) prepare(f);
  await requests(400);
  for (const f of Object.values(methods)) optimizeNext(f);
  await requests(50);
  const before = optimized();
  gc(); // nothing is in flight: every request object the methods saw is garbage now
  const afterFullGc = optimized();
  console.log(JSON.stringify({ methods: Object.keys(methods), before, afterFullGc }));
} finally {
  await cluster.shutdown();
  await server.stop();
}
