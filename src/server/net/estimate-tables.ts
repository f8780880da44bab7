import type { Database } from '../execution/database.js';
import { sizeEstimateTables } from '../execution/size-estimates.js';
import { readingNode } from './reading-node.js';
import { ringTokens } from './ring-tokens.js';
import type { ResolvedServerOptions } from './server-options.js';

/**
 * Adds system.size_estimates and system.table_estimates to `database`, computed from its store
 * over the ring the nodes of `options` get (the same `ringTokens` the nodes report in system.local
 * and system.peers, with each node's data center), each node listing its own ranges (node 0's
 * outside a node's request, as `server.execute` runs as a client of node 0).
 */
export function registerSizeEstimates(database: Database, options: ResolvedServerOptions): void {
  const nodes = ringTokens(options.nodeCount, options.tokensPerNode).map((tokens, i) => ({
    tokens,
    dataCenter: options.dataCenters[i]!,
  }));
  for (const def of sizeEstimateTables(database.store, nodes, () => readingNode() ?? 0))
    database.registerVirtualTable(def);
}
