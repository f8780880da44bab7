import { describe, expect, it } from 'vitest';
import { type ClusterView, DcAwareRoundRobinPolicy, Host, TokenAwarePolicy } from '../../src/cluster/index.js';

function host(n: number, dc: string): Host {
  const h = new Host(`10.0.0.${n}`, 9042);
  h.update({ dataCenter: dc });
  return h;
}

const a = host(1, 'dc1');
const b = host(2, 'dc1');
const c = host(3, 'dc1');
const r = host(4, 'dc2');

function view(replicas: Host[] = []): ClusterView {
  return { hosts: [a, b, c, r], replicas: () => replicas, controlDataCenter: 'dc1' };
}

const names = (hosts: Host[]): string[] => hosts.map((h) => h.address.slice(-1));

describe('DcAwareRoundRobinPolicy', () => {
  it('rotates over the up hosts of the local DC and leaves remote DCs out by default', () => {
    const p = new DcAwareRoundRobinPolicy();
    p.init(view());
    expect(names(p.newQueryPlan(undefined))).toEqual(['1', '2', '3']);
    expect(names(p.newQueryPlan(undefined))).toEqual(['2', '3', '1']);
    b.isUp = false;
    expect(names(p.newQueryPlan(undefined))).toEqual(['3', '1']);
    b.isUp = true;
  });

  it('takes the configured local DC over the control DC, and appends remote hosts when asked', () => {
    const p = new DcAwareRoundRobinPolicy({ localDataCenter: 'dc2', usedHostsPerRemoteDc: 1 });
    p.init(view());
    expect(names(p.newQueryPlan(undefined))).toEqual(['4', '1']);
  });
});

describe('rack preference', () => {
  it('puts the local rack first, in plans and among replicas', () => {
    a.update({ rack: 'r1' });
    b.update({ rack: 'r2' });
    c.update({ rack: 'r2' });
    const dc = new DcAwareRoundRobinPolicy({ localRack: 'r2' });
    dc.init(view());
    // the rotation runs over all four hosts; the rack's hosts keep their rotated order
    expect(names(dc.newQueryPlan(undefined))).toEqual(['2', '3', '1']);
    expect(names(dc.newQueryPlan(undefined))).toEqual(['2', '3', '1']);
    expect(names(dc.newQueryPlan(undefined))).toEqual(['3', '2', '1']);
    const p = new TokenAwarePolicy(new DcAwareRoundRobinPolicy({ localRack: 'r1' }));
    p.init(view([b, a]));
    const routing = { keyspace: 'ks', routingKey: Buffer.from([1]) };
    expect(names(p.newQueryPlan(routing)).slice(0, 2)).toEqual(['1', '2']);
    expect(names(p.newQueryPlan(routing)).slice(0, 2)).toEqual(['1', '2']);
  });
});

describe('TokenAwarePolicy', () => {
  it('puts the up local replicas first, then the rest of the child plan without repeats', () => {
    const p = new TokenAwarePolicy(new DcAwareRoundRobinPolicy());
    p.init(view([c, r, b]));
    const routing = { keyspace: 'ks', routingKey: Buffer.from([0, 0, 0, 1]) };
    const first = p.newQueryPlan(routing);
    expect(names(first).slice(0, 2).sort()).toEqual(['2', '3']);
    expect(names(first).length).toBe(3);
    expect(new Set(first).size).toBe(3);
    c.isUp = false;
    expect(names(p.newQueryPlan(routing))[0]).toBe('2');
    c.isUp = true;
  });

  it('falls back to the child plan without a routing key or keyspace', () => {
    const p = new TokenAwarePolicy(new DcAwareRoundRobinPolicy());
    p.init(view([c]));
    expect(p.newQueryPlan(undefined).length).toBe(3);
    expect(p.newQueryPlan({ routingKey: Buffer.from([1]) }).length).toBe(3);
  });
});
