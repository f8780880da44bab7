/** What the scheduler needs to know about a node. */
export interface SchedulerHosts<H> {
  /** True while the client considers the node up. */
  isUp(host: H): boolean;
  /** True for nodes of the local data center (those the load balancing policy routes to). */
  isLocal(host: H): boolean;
}

/** A range the scheduler can start: its position in the scan's list and its replicas. */
export interface SchedulableRange<H> {
  readonly replicas: readonly H[];
}

/**
 * Chooses which range to start next and which replica coordinates it, so that each local node
 * has at most its share of the ranges in flight (`ceil(concurrency / local nodes up)`): ranges
 * are queued per local replica, and a free slot goes to the least loaded node that still has a
 * range it holds. Ranges with no local replica up go to their first replica up anywhere (or to
 * no node in particular when none is known). Deterministic for a given ring and up/down state.
 */
export class RangeScheduler<H, T extends SchedulableRange<H>> {
  private readonly hosts: H[] = [];
  private readonly queues = new Map<H, { items: number[]; head: number }>();
  private readonly load = new Map<H, number>();
  private readonly orphans: number[] = [];
  private orphanHead = 0;

  /**
   * @param ranges the ranges to run, in the order to prefer
   * @param isPending whether the range at a position still waits to be started
   */
  constructor(
    private readonly ranges: readonly T[],
    private readonly isPending: (position: number) => boolean,
    private readonly view: SchedulerHosts<H>,
    private readonly concurrency: number,
  ) {
    for (let i = 0; i < ranges.length; i++) {
      let queued = false;
      for (const h of ranges[i]!.replicas) {
        if (!view.isLocal(h)) continue;
        let q = this.queues.get(h);
        if (q === undefined) {
          q = { items: [], head: 0 };
          this.queues.set(h, q);
          this.hosts.push(h);
          this.load.set(h, 0);
        }
        q.items.push(i);
        queued = true;
      }
      if (!queued) this.orphans.push(i);
    }
  }

  /** Ranges in flight on `host` now. */
  loadOf(host: H): number {
    return this.load.get(host) ?? 0;
  }

  /** The next range to start and its coordinator, or undefined when every range left waits for a busy node. */
  next(): { position: number; host: H | undefined } | undefined {
    const up = this.hosts.filter((h) => this.view.isUp(h));
    const share = Math.ceil(this.concurrency / Math.max(1, up.length));
    // least loaded first; ties keep the ring order of first appearance
    const byLoad = [...up].sort((a, b) => this.loadOf(a) - this.loadOf(b));
    for (const h of byLoad) {
      if (this.loadOf(h) >= share) break;
      const position = this.take(h, (p) => this.isPending(p));
      if (position !== undefined) return this.assign(position, h);
    }
    // ranges whose local replicas are all down, then those with none at all
    for (const h of this.hosts) {
      if (this.view.isUp(h)) continue;
      const position = this.take(h, (p) => this.isPending(p) && !this.ranges[p]!.replicas.some((r) => this.usable(r)));
      if (position !== undefined) return this.assign(position, this.fallbackHost(position));
    }
    while (this.orphanHead < this.orphans.length) {
      const position = this.orphans[this.orphanHead++]!;
      if (this.isPending(position)) return this.assign(position, this.fallbackHost(position));
    }
    return undefined;
  }

  /** The range on `host` is over (done, failed or cancelled). */
  release(host: H | undefined): void {
    if (host === undefined) return;
    const n = this.load.get(host);
    if (n !== undefined && n > 0) this.load.set(host, n - 1);
    else if (n === undefined) this.load.delete(host);
  }

  /**
   * After a failed attempt: the replica of `range` to try next, the one after `current` in its
   * replica list that is up (local ones first, as listed), moving the range's load there.
   */
  failover(range: T, current: H | undefined): H | undefined {
    const replicas = range.replicas;
    const from = current === undefined ? -1 : replicas.indexOf(current);
    for (let k = 1; k <= replicas.length; k++) {
      const h = replicas[(from + k + replicas.length) % replicas.length]!;
      if (h !== current && this.view.isUp(h)) {
        this.release(current);
        this.load.set(h, this.loadOf(h) + 1);
        return h;
      }
    }
    return current;
  }

  private usable(h: H): boolean {
    return this.view.isLocal(h) && this.view.isUp(h);
  }

  private fallbackHost(position: number): H | undefined {
    return this.ranges[position]!.replicas.find((h) => this.view.isUp(h));
  }

  private assign(position: number, host: H | undefined): { position: number; host: H | undefined } {
    if (host !== undefined) this.load.set(host, this.loadOf(host) + 1);
    return { position, host };
  }

  /** Pops the host's queue up to the first position `wanted` accepts (the others are dropped). */
  private take(host: H, wanted: (position: number) => boolean): number | undefined {
    const q = this.queues.get(host)!;
    while (q.head < q.items.length) {
      const position = q.items[q.head++]!;
      if (wanted(position)) return position;
    }
    return undefined;
  }
}
