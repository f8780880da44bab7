import { murmur3Token, serializePartitionKey } from '../../../src/protocol/token/index.js';
import { type EmbeddedServer, type EmbeddedServerOptions, startEmbeddedServer } from '../../../src/server/index.js';
import { Cluster, type ClusterOptions, type Session } from '../../../src/session/index.js';
import { until } from '../../support/until.js';

/** A running embedded cluster with the scan test table `scans.items` loaded. */
export interface ScanCluster {
  readonly server: EmbeddedServer;
  readonly cluster: Cluster;
  readonly session: Session;
  /** Every row's key, `pk1:pk2:ck`, sorted: what a scan must yield, exactly once each. */
  readonly keys: readonly string[];
  close(): Promise<void>;
}

/** Options of {@link startScanCluster}. */
export interface ScanClusterOptions {
  readonly server?: EmbeddedServerOptions;
  readonly client?: Partial<ClusterOptions>;
  /** The keyspace's replication map, as CQL text. Default SimpleStrategy rf 1. */
  readonly replication?: string;
  readonly partitions?: number;
  readonly rowsPerPartition?: number;
  /**
   * Replicas of each range under `replication`: the helper waits until the client's metadata
   * knows them (a keyspace's replication is read when its creation event has been handled).
   */
  readonly replicasPerRange?: number;
}

/** Row `i` of the test table: partition (pk1, pk2), clustering ck, a payload. */
export function itemRow(i: number, rowsPerPartition: number): { pk1: number; pk2: string; ck: number; v: string } {
  const p = Math.floor(i / rowsPerPartition);
  return { pk1: p % 97, pk2: `p${p}`, ck: i % rowsPerPartition, v: `value-${i}` };
}

/** The Murmur3 token of a test row's partition key. */
export function itemToken(pk1: number, pk2: string): bigint {
  const a = Buffer.alloc(4);
  a.writeInt32BE(pk1);
  return murmur3Token(serializePartitionKey([a, Buffer.from(pk2, 'utf8')]));
}

export async function startScanCluster(options: ScanClusterOptions = {}): Promise<ScanCluster> {
  const server = await startEmbeddedServer({ port: 0, ...options.server });
  const cluster = new Cluster({
    contactPoints: server.contactPoints,
    requestTimeoutMs: 3_000,
    reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
    ...options.client,
  });
  try {
    const session = await cluster.connect();
    const replication = options.replication ?? "{'class': 'SimpleStrategy', 'replication_factor': 1}";
    await session.execute(`CREATE KEYSPACE scans WITH replication = ${replication}`);
    await session.execute('CREATE TABLE scans.items (pk1 int, pk2 text, ck int, v text, PRIMARY KEY ((pk1, pk2), ck))');
    const replicas = options.replicasPerRange ?? 1;
    await until(
      () => cluster.metadata.tokenRanges('scans').every((r) => r.replicas.length === replicas),
      `${replicas} replicas per range in the metadata`,
    );
    const partitions = options.partitions ?? 400;
    const perPartition = options.rowsPerPartition ?? 5;
    const count = partitions * perPartition;
    server.load('scans', 'items', { count, generate: (i) => itemRow(i, perPartition) });
    const keys: string[] = [];
    for (let i = 0; i < count; i++) {
      const r = itemRow(i, perPartition);
      keys.push(`${r.pk1}:${r.pk2}:${r.ck}`);
    }
    keys.sort();
    return {
      server,
      cluster,
      session,
      keys,
      async close() {
        await cluster.shutdown();
        await server.stop();
      },
    };
  } catch (error) {
    await cluster.shutdown();
    await server.stop();
    throw error;
  }
}

/** A row of the test table as its key. */
export function keyOf(row: { get(name: string): unknown }): string {
  return `${row.get('pk1') as number}:${row.get('pk2') as string}:${row.get('ck') as number}`;
}
