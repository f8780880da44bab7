// Embedded server: the system.local/peers rows it computes (the client reads them in src/cluster/system-tables.ts).

import { parseInetAddress } from '../../protocol/primitives/index.js';
import type { DataType } from '../../protocol/types/index.js';

/** A column of a computed system table, in `SELECT *` order (keys first, then by name). */
export interface SystemColumn {
  name: string;
  type: DataType;
  kind: 'partition_key' | 'clustering' | 'regular';
}

/** A system table whose rows the network side computes on every read. */
export interface SystemTable {
  keyspace: 'system';
  name: 'local' | 'peers' | 'peers_v2';
  columns: readonly SystemColumn[];
  /** Encoded cells ([bytes] contents, null = null), one array per row, in column order. */
  rows(): (Buffer | null)[][];
}

/** What a system table row says about one node. */
export interface NodeFacts {
  address: string;
  port: number;
  /** Internode port (listen/peer port); distinct per node when they share one address. */
  peerPort: number;
  hostId: Buffer;
  dataCenter: string;
  rack: string;
  tokens: readonly string[];
}

/** What system.local says about the cluster. */
export interface ClusterFacts {
  clusterName: string;
  cassandraVersion: string;
  cqlVersion: string;
  nativeProtocolVersion: string;
  schemaVersion(): Buffer;
  /** Seconds since the epoch when the cluster started (gossip_generation). */
  generation: number;
}

const TEXT: DataType = { kind: 'text' };
const INET: DataType = { kind: 'inet' };
const INT: DataType = { kind: 'int' };
const UUID: DataType = { kind: 'uuid' };
const TOKENS: DataType = { kind: 'set', element: TEXT };
const TRUNCATED_AT: DataType = { kind: 'map', key: UUID, value: { kind: 'blob' } };

const col = (name: string, type: DataType, kind: SystemColumn['kind'] = 'regular'): SystemColumn => ({
  name,
  type,
  kind,
});

// Column lists and types as in Cassandra 4.0+/5.0's SystemKeyspace (Local, LegacyPeers, PeersV2).
const LOCAL_COLUMNS: readonly SystemColumn[] = [
  col('key', TEXT, 'partition_key'),
  col('bootstrapped', TEXT),
  col('broadcast_address', INET),
  col('broadcast_port', INT),
  col('cluster_name', TEXT),
  col('cql_version', TEXT),
  col('data_center', TEXT),
  col('gossip_generation', INT),
  col('host_id', UUID),
  col('listen_address', INET),
  col('listen_port', INT),
  col('native_protocol_version', TEXT),
  col('partitioner', TEXT),
  col('rack', TEXT),
  col('release_version', TEXT),
  col('rpc_address', INET),
  col('rpc_port', INT),
  col('schema_version', UUID),
  col('tokens', TOKENS),
  col('truncated_at', TRUNCATED_AT),
];
const PEERS_COLUMNS: readonly SystemColumn[] = [
  col('peer', INET, 'partition_key'),
  col('data_center', TEXT),
  col('host_id', UUID),
  col('preferred_ip', INET),
  col('rack', TEXT),
  col('release_version', TEXT),
  col('rpc_address', INET),
  col('schema_version', UUID),
  col('tokens', TOKENS),
];
const PEERS_V2_COLUMNS: readonly SystemColumn[] = [
  col('peer', INET, 'partition_key'),
  col('peer_port', INT, 'clustering'),
  col('data_center', TEXT),
  col('host_id', UUID),
  col('native_address', INET),
  col('native_port', INT),
  col('preferred_ip', INET),
  col('preferred_port', INT),
  col('rack', TEXT),
  col('release_version', TEXT),
  col('schema_version', UUID),
  col('tokens', TOKENS),
];

/** The partitioner every node reports; drivers pick their token map by it. */
export const MURMUR3_PARTITIONER = 'org.apache.cassandra.dht.Murmur3Partitioner';

const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const int = (n: number): Buffer => {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32BE(n, 0);
  return b;
};
const inet = (address: string): Buffer => parseInetAddress(address);

/** A set<text> value: [int] count, then each element as [bytes], sorted as Cassandra keeps them. */
function textSet(values: readonly string[]): Buffer {
  const items = values.map((v) => Buffer.from(v, 'utf8')).sort((a, b) => Buffer.compare(a, b));
  const out = Buffer.allocUnsafe(4 + items.reduce((n, b) => n + 4 + b.length, 0));
  let p = out.writeInt32BE(items.length, 0);
  for (const b of items) {
    p = out.writeInt32BE(b.length, p);
    p += b.copy(out, p);
  }
  return out;
}

/** The one row of system.local for `self`. */
function localRow(self: NodeFacts, cluster: ClusterFacts): (Buffer | null)[][] {
  return [
    [
      text('local'),
      text('COMPLETED'),
      inet(self.address),
      int(self.peerPort),
      text(cluster.clusterName),
      text(cluster.cqlVersion),
      text(self.dataCenter),
      int(cluster.generation),
      Buffer.from(self.hostId),
      inet(self.address),
      int(self.peerPort),
      text(cluster.nativeProtocolVersion),
      text(MURMUR3_PARTITIONER),
      text(self.rack),
      text(cluster.cassandraVersion),
      inet(self.address),
      int(self.port),
      Buffer.from(cluster.schemaVersion()),
      textSet(self.tokens),
      null,
    ],
  ];
}

/**
 * system.local, system.peers and system.peers_v2 as seen from one node (`me`): the cells
 * Cassandra would return, so both DataStax drivers' control connections find every node with
 * its DC, rack, host id, tokens and native address/port. Facts are read on every query, so a
 * port picked after construction shows.
 */
export function systemTables(
  me: () => NodeFacts,
  others: () => readonly NodeFacts[],
  cluster: ClusterFacts,
): SystemTable[] {
  const local: SystemTable = {
    keyspace: 'system',
    name: 'local',
    columns: LOCAL_COLUMNS,
    rows: () => localRow(me(), cluster),
  };
  const peers: SystemTable = {
    keyspace: 'system',
    name: 'peers',
    columns: PEERS_COLUMNS,
    rows: () =>
      others().map((n) => [
        inet(n.address),
        text(n.dataCenter),
        Buffer.from(n.hostId),
        null,
        text(n.rack),
        text(cluster.cassandraVersion),
        inet(n.address),
        Buffer.from(cluster.schemaVersion()),
        textSet(n.tokens),
      ]),
  };
  const peersV2: SystemTable = {
    keyspace: 'system',
    name: 'peers_v2',
    columns: PEERS_V2_COLUMNS,
    rows: () =>
      others().map((n) => [
        inet(n.address),
        int(n.peerPort),
        text(n.dataCenter),
        Buffer.from(n.hostId),
        inet(n.address),
        int(n.port),
        null,
        null,
        text(n.rack),
        text(cluster.cassandraVersion),
        Buffer.from(cluster.schemaVersion()),
        textSet(n.tokens),
      ]),
  };
  return [local, peers, peersV2];
}
