import type { Host } from './host.js';

/** What a request tells the load balancing policy about where its data lives. */
export interface RoutingInfo {
  /** The keyspace the statement works on, when known. */
  keyspace?: string | undefined;
  /** The serialised partition key, when known (prepared statements with pk indexes, or given). */
  routingKey?: Buffer | undefined;
}

/** The cluster as a policy sees it. */
export interface ClusterView {
  /** Every known host, up or down. */
  readonly hosts: readonly Host[];
  /** The replicas of a partition key (primary first), or [] when the ring or keyspace is unknown. */
  replicas(keyspace: string, routingKey: Buffer): readonly Host[];
  /** The data center of the node the control connection reached (the default local DC). */
  readonly controlDataCenter: string | undefined;
}

/**
 * Chooses, for each request, the hosts to try in order (the query plan). Implementations must be
 * cheap: `newQueryPlan` runs for every request.
 */
export interface LoadBalancingPolicy {
  /** Called once the cluster's hosts are known (and the view stays current afterwards). */
  init(view: ClusterView): void;
  /** The hosts to try, best first. Hosts that are down should be left out. */
  newQueryPlan(routing: RoutingInfo | undefined): Host[];
  /** True when the policy would ever route to `host` (used to skip pools for ignored hosts). */
  isLocal?(host: Host): boolean;
  /** True when `host` is in the preferred rack (when the policy has one). */
  isLocalRack?(host: Host): boolean;
}

/** Options of {@link DcAwareRoundRobinPolicy}. */
export interface DcAwareOptions {
  /** The local data center; default: the one of the node the control connection reached. */
  localDataCenter?: string | undefined;
  /** Hosts of each remote data center appended after the local ones. Default 0 (local only). */
  usedHostsPerRemoteDc?: number;
  /** Prefer this rack of the local data center: its hosts come first in every plan. */
  localRack?: string | undefined;
}

/**
 * Round robin over the up hosts of the local data center (each plan starts one host further),
 * then, if asked, a few hosts of each remote data center.
 */
export class DcAwareRoundRobinPolicy implements LoadBalancingPolicy {
  private view: ClusterView | undefined;
  private readonly configuredDc: string | undefined;
  private readonly remotePerDc: number;
  private readonly localRack: string | undefined;
  private index = 0;

  constructor(options: DcAwareOptions = {}) {
    this.configuredDc = options.localDataCenter;
    this.remotePerDc = options.usedHostsPerRemoteDc ?? 0;
    this.localRack = options.localRack;
  }

  init(view: ClusterView): void {
    this.view = view;
  }

  /** The data center treated as local. */
  get localDataCenter(): string | undefined {
    return this.configuredDc ?? this.view?.controlDataCenter;
  }

  isLocal(host: Host): boolean {
    const dc = this.localDataCenter;
    return dc === undefined || host.dataCenter === undefined || host.dataCenter === dc;
  }

  isLocalRack(host: Host): boolean {
    return this.localRack !== undefined && host.rack === this.localRack && this.isLocal(host);
  }

  newQueryPlan(_routing: RoutingInfo | undefined): Host[] {
    const hosts = this.view?.hosts ?? [];
    const n = hosts.length;
    const start = this.index++ & 0x3fffffff;
    const plan: Host[] = [];
    if (this.localRack !== undefined) {
      for (let i = 0; i < n; i++) {
        const h = hosts[(start + i) % n]!;
        if (h.isUp && this.isLocalRack(h)) plan.push(h);
      }
    }
    for (let i = 0; i < n; i++) {
      const h = hosts[(start + i) % n]!;
      if (h.isUp && this.isLocal(h) && !(this.localRack !== undefined && this.isLocalRack(h))) plan.push(h);
    }
    if (this.remotePerDc > 0) {
      const taken = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        const h = hosts[(start + i) % n]!;
        if (!h.isUp || this.isLocal(h)) continue;
        const dc = h.dataCenter ?? '';
        const k = taken.get(dc) ?? 0;
        if (k >= this.remotePerDc) continue;
        taken.set(dc, k + 1);
        plan.push(h);
      }
    }
    return plan;
  }
}

/**
 * Token-aware routing on top of another policy: when the request's keyspace and partition key are
 * known, the up replicas the child considers local come first (rotated so load spreads over
 * them), then the child's plan without them.
 */
export class TokenAwarePolicy implements LoadBalancingPolicy {
  private view: ClusterView | undefined;
  private index = 0;

  constructor(readonly child: LoadBalancingPolicy) {}

  init(view: ClusterView): void {
    this.view = view;
    this.child.init(view);
  }

  isLocal(host: Host): boolean {
    return this.child.isLocal?.(host) ?? true;
  }

  isLocalRack(host: Host): boolean {
    return this.child.isLocalRack?.(host) ?? false;
  }

  newQueryPlan(routing: RoutingInfo | undefined): Host[] {
    const childPlan = this.child.newQueryPlan(routing);
    if (routing?.routingKey === undefined || routing.keyspace === undefined || this.view === undefined)
      return childPlan;
    const replicas = this.view.replicas(routing.keyspace, routing.routingKey);
    if (replicas.length === 0) return childPlan;
    const first: Host[] = [];
    const n = replicas.length;
    const start = n > 1 ? this.index++ % n : 0;
    for (let i = 0; i < n; i++) {
      const h = replicas[(start + i) % n]!;
      if (h.isUp && this.isLocal(h)) first.push(h);
    }
    if (first.length === 0) return childPlan;
    if (this.child.isLocalRack !== undefined && first.length > 1) {
      // replicas in the preferred rack first, keeping the rotation otherwise
      const inRack = first.filter((h) => this.child.isLocalRack!(h));
      if (inRack.length > 0 && inRack.length < first.length) {
        const rest = first.filter((h) => !inRack.includes(h));
        first.length = 0;
        first.push(...inRack, ...rest);
      }
    }
    for (const h of childPlan) if (!first.includes(h)) first.push(h);
    return first;
  }
}
