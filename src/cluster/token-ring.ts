import type { Host } from './host.js';
import type { ReplicationStrategy } from './replication.js';

/**
 * The Murmur3 token ring: every token of every host, sorted. A key's token is owned by the first
 * ring token at or after it (wrapping around); its replicas follow the ring from there, as the
 * keyspace's strategy says (SimpleStrategy: the next RF distinct hosts; NetworkTopologyStrategy:
 * RF hosts of each data center, on distinct racks while there are racks left, as Cassandra does).
 */
export class TokenRing {
  private readonly tokens: bigint[];
  private readonly owners: Host[];
  /** Replica lists per keyspace and ring position, computed on first use. */
  private readonly cache = new Map<string, Host[][]>();
  private dcStats: Map<string, { nodes: number; racks: number }> | undefined = undefined;

  constructor(hosts: Iterable<Host>) {
    const entries: { token: bigint; host: Host }[] = [];
    for (const host of hosts) {
      for (const t of host.tokens) {
        try {
          entries.push({ token: BigInt(t), host });
        } catch {
          // not a Murmur3 token (another partitioner): leave it out, routing falls back to round robin
        }
      }
    }
    entries.sort((a, b) => (a.token < b.token ? -1 : a.token > b.token ? 1 : 0));
    this.tokens = entries.map((e) => e.token);
    this.owners = entries.map((e) => e.host);
  }

  get isEmpty(): boolean {
    return this.tokens.length === 0;
  }

  /** Ring position owning `token`: the first ring token >= it, wrapping to 0. */
  position(token: bigint): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tokens[mid]! < token) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.tokens.length ? 0 : lo;
  }

  /** The replicas of `token` under `strategy`, primary first; [] on an empty ring. */
  replicas(token: bigint, keyspace: string, strategy: ReplicationStrategy): readonly Host[] {
    if (this.tokens.length === 0) return [];
    return this.replicasAt(this.position(token), keyspace, strategy);
  }

  /**
   * The ring's ranges in ring order, one per distinct ring token: `(previous token, token]`, the
   * first one wrapping (`start` is the last ring token; with a single token `start === end`, the
   * whole ring). `position` is the ring position of `end`, for {@link replicasAt}. [] on an empty ring.
   */
  ranges(): { readonly start: bigint; readonly end: bigint; readonly position: number }[] {
    const out: { start: bigint; end: bigint; position: number }[] = [];
    const n = this.tokens.length;
    for (let i = 0; i < n; i++) {
      const end = this.tokens[i]!;
      // two hosts claiming one token: the first keeps it, the second range would be empty
      if (i > 0 && this.tokens[i - 1] === end) continue;
      out.push({ start: this.tokens[(i + n - 1) % n]!, end, position: i });
    }
    return out;
  }

  /** The replicas of the range ending at ring position `pos` under `strategy`, primary first. */
  replicasAt(pos: number, keyspace: string, strategy: ReplicationStrategy): readonly Host[] {
    if (pos < 0 || pos >= this.tokens.length) return [];
    let perPosition = this.cache.get(keyspace);
    if (perPosition === undefined) {
      perPosition = new Array<Host[]>(this.tokens.length);
      this.cache.set(keyspace, perPosition);
    }
    let list = perPosition[pos];
    if (list === undefined) {
      list = this.walk(pos, strategy);
      perPosition[pos] = list;
    }
    return list;
  }

  private walk(start: number, strategy: ReplicationStrategy): Host[] {
    const n = this.tokens.length;
    const out: Host[] = [];
    if (strategy.kind === 'other') return [this.owners[start]!];
    if (strategy.kind === 'simple') {
      for (let i = 0; i < n && out.length < strategy.replicationFactor; i++) {
        const h = this.owners[(start + i) % n]!;
        if (!out.includes(h)) out.push(h);
      }
      return out;
    }
    return this.walkNetwork(start, strategy.dataCenters);
  }

  /**
   * NetworkTopologyStrategy, as Cassandra places replicas: along the ring from `start`, each data
   * center takes a node from a rack it has not used yet; a node of an already used rack only while
   * the data center has fewer racks than its RF (RF - racks such repeats, the first met). A data
   * center with fewer nodes than its RF gets every node.
   */
  private walkNetwork(start: number, factors: ReadonlyMap<string, number>): Host[] {
    const n = this.tokens.length;
    const out: Host[] = [];
    const seenRacks = new Set<string>();
    const fill = new Map<string, { left: number; repeats: number }>();
    for (const [dc, rf] of factors) {
      const stats = this.dataCenterStats().get(dc);
      if (rf <= 0 || stats === undefined) continue;
      fill.set(dc, { left: Math.min(rf, stats.nodes), repeats: rf - stats.racks });
    }
    let open = fill.size;
    for (let i = 0; i < n && open > 0; i++) {
      const h = this.owners[(start + i) % n]!;
      const dc = fill.get(h.dataCenter ?? '');
      if (dc === undefined || dc.left === 0) continue;
      const rack = JSON.stringify([h.dataCenter ?? '', h.rack ?? '']);
      if (seenRacks.has(rack)) {
        if (dc.repeats <= 0 || out.includes(h)) continue;
        dc.repeats--;
      } else {
        seenRacks.add(rack);
      }
      out.push(h);
      dc.left--;
      if (dc.left === 0) open--;
    }
    return out;
  }

  /** Distinct nodes and racks per data center (computed once per ring). */
  private dataCenterStats(): ReadonlyMap<string, { nodes: number; racks: number }> {
    if (this.dcStats === undefined) {
      const hosts = new Map<string, Set<Host>>();
      const racks = new Map<string, Set<string>>();
      for (const h of new Set(this.owners)) {
        const dc = h.dataCenter ?? '';
        if (!hosts.has(dc)) hosts.set(dc, new Set());
        if (!racks.has(dc)) racks.set(dc, new Set());
        hosts.get(dc)!.add(h);
        racks.get(dc)!.add(h.rack ?? '');
      }
      this.dcStats = new Map([...hosts].map(([dc, set]) => [dc, { nodes: set.size, racks: racks.get(dc)!.size }]));
    }
    return this.dcStats;
  }
}
