/** How a keyspace places its replicas (system_schema.keyspaces.replication). */
export type ReplicationStrategy =
  | { readonly kind: 'simple'; readonly replicationFactor: number }
  | { readonly kind: 'network'; readonly dataCenters: ReadonlyMap<string, number> }
  /** LocalStrategy, EverywhereStrategy or anything unknown: route to the token's owner only. */
  | { readonly kind: 'other' };

/** Replication factors may be written '3' or '3/1' (transient replicas, Cassandra 4.0): count the full ones. */
function factor(text: string | undefined): number {
  if (text === undefined) return 0;
  const n = Number.parseInt(text.split('/')[0]!, 10);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** Reads the replication map of system_schema.keyspaces (class name short or fully qualified). */
export function parseReplication(replication: ReadonlyMap<string, string>): ReplicationStrategy {
  const cls = replication.get('class') ?? '';
  const short = cls.slice(cls.lastIndexOf('.') + 1);
  if (short === 'SimpleStrategy') {
    const rf = factor(replication.get('replication_factor'));
    return rf > 0 ? { kind: 'simple', replicationFactor: rf } : { kind: 'other' };
  }
  if (short === 'NetworkTopologyStrategy') {
    const dataCenters = new Map<string, number>();
    for (const [key, value] of replication) {
      if (key === 'class') continue;
      const rf = factor(value);
      if (rf > 0) dataCenters.set(key, rf);
    }
    return { kind: 'network', dataCenters };
  }
  return { kind: 'other' };
}
