/**
 * cqlwire/server: the embedded CQL server. It speaks the real protocol through src/protocol,
 * keeps tables in memory, pages with a real opaque paging state, runs several nodes on
 * 127.0.0.x, and can be primed to fail (docs/embedded-server.md).
 */
import { DatabaseBackend } from './net/data-backend.js';
import type { EmbeddedServer } from './net/embedded-server.js';
import { startServerWithBackend } from './net/embedded-server.js';
import { registerSizeEstimates } from './net/estimate-tables.js';
import type { EmbeddedServerOptions } from './net/server-options.js';
import { resolveServerOptions } from './net/server-options.js';
import { registerTraceTables, TraceStore } from './net/trace-store.js';

export type { LoadSource } from './execution/index.js';
export type { ActivityEntry } from './net/activity-log.js';
export type { EmbeddedNode } from './net/embedded-server.js';
export { EmbeddedServer } from './net/embedded-server.js';
export type { PrimeCondition, PrimeReaction, PrimeRule } from './net/priming.js';
export type { EmbeddedServerOptions } from './net/server-options.js';

/**
 * Starts an embedded cluster and resolves once every node listens.
 * `const server = await startEmbeddedServer({ nodes: 3, port: 0 })`; `await server.stop()` ends it.
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const backend = new DatabaseBackend();
  registerSizeEstimates(backend.database, resolveServerOptions(options));
  const traces = new TraceStore();
  registerTraceTables(backend.database, traces);
  return startServerWithBackend(options, backend, traces);
}
