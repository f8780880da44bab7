import { randomUUID } from 'node:crypto';
import type { Backend, PreparedShape } from './backend.js';
import { NodeBackend } from './node-backend.js';
import type { ClusterShared, NodeControl } from './node-runtime.js';
import { NodeRuntime } from './node-runtime.js';
import { ReadingNodeBackend } from './reading-node.js';
import { ringTokens } from './ring-tokens.js';
import { cqlVersionFor } from './server-handshake.js';
import type { ResolvedServerOptions } from './server-options.js';
import type { NodeFacts } from './system-tables.js';
import { systemTables } from './system-tables.js';

/** The internode port system.peers reports (one per node when they share 127.0.0.1). */
const STORAGE_PORT = 7000;

/**
 * The nodes of an embedded cluster over one shared data side: node i on 127.0.0.(i+1) (or all
 * on 127.0.0.1 with `sameHost`), its share of the token ring, and its own view of the data
 * (system.local / system.peers computed for it, everything else shared). The prepared
 * statements' type `P` stays inside: the server drives the nodes through `NodeControl`.
 */
export function createNodes<P extends PreparedShape>(
  options: ResolvedServerOptions,
  backend: Backend<P>,
  shared: ClusterShared,
): NodeControl[] {
  const nodes: NodeControl[] = [];
  const tokens = ringTokens(options.nodeCount, options.tokensPerNode);
  const cluster = {
    clusterName: options.clusterName,
    cassandraVersion: options.cassandraVersion,
    cqlVersion: cqlVersionFor(options.cassandraVersion),
    nativeProtocolVersion: String(options.protocolVersions[options.protocolVersions.length - 1]),
    schemaVersion: () => backend.schemaVersion(),
    generation: Math.floor(Date.now() / 1000),
  };
  const facts = (n: NodeControl): NodeFacts => ({
    address: n.address,
    port: n.port,
    peerPort: options.sameHost ? STORAGE_PORT + n.index : STORAGE_PORT,
    hostId: n.hostId,
    dataCenter: n.dataCenter,
    rack: n.rack,
    tokens: n.tokens,
  });
  for (let i = 0; i < options.nodeCount; i++) {
    const tables = systemTables(
      () => facts(nodes[i]!),
      () => nodes.filter((o) => o.index !== i).map(facts),
      cluster,
    );
    nodes.push(
      new NodeRuntime(
        i,
        options.sameHost ? '127.0.0.1' : `127.0.0.${i + 1}`,
        0,
        Buffer.from(randomUUID().replace(/-/g, ''), 'hex'),
        tokens[i]!,
        options.dataCenters[i]!,
        options.racks[i]!,
        shared,
        new NodeBackend(new ReadingNodeBackend(backend, i), tables),
      ),
    );
  }
  return nodes;
}
