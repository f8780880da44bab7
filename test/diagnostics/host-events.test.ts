import diagnosticsChannel from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../src/cluster/index.js';
import { ChannelName } from '../../src/diagnostics/index.js';
import type { SchemaChange } from '../../src/protocol/messages/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';
import { waitFor } from '../session/support/wait-for.js';

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;
/** Every cluster event and host/schema channel message, in order. */
const events: string[] = [];
const hostsByEvent = new Map<string, Host[]>();
const unsubscribes: (() => void)[] = [];

function note(name: string, host: Host): void {
  events.push(`${name} ${host.address}`);
  hostsByEvent.set(name, [...(hostsByEvent.get(name) ?? []), host]);
}

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 3, port: 0 });
  for (const [short, name] of [
    ['channel:up', ChannelName.hostUp],
    ['channel:down', ChannelName.hostDown],
    ['channel:added', ChannelName.hostAdded],
    ['channel:schema', ChannelName.schemaChange],
  ] as const) {
    const listener = (message: unknown): void => {
      const m = message as { host?: Host; change?: SchemaChange };
      if (m.host !== undefined) note(short, m.host);
      else events.push(`${short} ${m.change!.target} ${m.change!.keyspace}`);
    };
    diagnosticsChannel.subscribe(name, listener);
    unsubscribes.push(() => diagnosticsChannel.unsubscribe(name, listener));
  }
  cluster = new Cluster({
    contactPoints: [server.contactPoints[0]!],
    reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
    requestTimeoutMs: 2_000,
  });
  cluster.on('hostAdded', (host) => note('hostAdded', host));
  cluster.on('hostUp', (host) => note('hostUp', host));
  cluster.on('hostDown', (host) => note('hostDown', host));
  cluster.on('hostRemoved', (host) => note('hostRemoved', host));
  cluster.on('schemaChange', (change) =>
    events.push(`schemaChange ${change.change} ${change.target} ${change.keyspace}`),
  );
  session = await cluster.connect();
});

afterAll(async () => {
  for (const u of unsubscribes) u();
  await cluster?.shutdown();
  await server?.stop();
});

describe('host events', () => {
  it('announces each host found by connect() as added, the channel first, with the Host objects', () => {
    expect(events).toEqual([
      'channel:added 127.0.0.1',
      'hostAdded 127.0.0.1',
      'channel:added 127.0.0.2',
      'hostAdded 127.0.0.2',
      'channel:added 127.0.0.3',
      'hostAdded 127.0.0.3',
    ]);
    expect(hostsByEvent.get('hostAdded')).toEqual(
      ['127.0.0.1', '127.0.0.2', '127.0.0.3'].map((a) => cluster.hosts.find((h) => h.address === a)),
    );
    expect(hostsByEvent.get('channel:added')).toEqual(hostsByEvent.get('hostAdded'));
  });

  it('emits hostDown when a node of three stops and hostUp when it starts again, with the same Host', async () => {
    events.length = 0;
    const second = cluster.hosts.find((h) => h.address === '127.0.0.2')!;
    await server.nodes[1]!.stop();
    await waitFor(() => events.includes('hostDown 127.0.0.2'), 'hostDown');
    expect(second.isUp).toBe(false);
    await server.nodes[1]!.start();
    await waitFor(() => events.includes('hostUp 127.0.0.2'), 'hostUp');
    expect(second.isUp).toBe(true);
    expect(events).toEqual([
      'channel:down 127.0.0.2',
      'hostDown 127.0.0.2',
      'channel:up 127.0.0.2',
      'hostUp 127.0.0.2',
    ]);
    expect(hostsByEvent.get('hostDown')).toEqual([second]);
    expect(hostsByEvent.get('hostUp')).toEqual([second]);
    // the node serves again
    await session.execute('SELECT release_version FROM system.local');
  });

  it('emits schemaChange with the change of a schema event', async () => {
    events.length = 0;
    await session.execute(
      "CREATE KEYSPACE evt WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    );
    await waitFor(() => events.some((e) => e.startsWith('schemaChange')), 'schemaChange');
    expect(events.filter((e) => e.includes('evt'))).toEqual([
      'channel:schema KEYSPACE evt',
      'schemaChange CREATED KEYSPACE evt',
    ]);
  });

  it('a listener that throws does not break the cluster: the error surfaces as an uncaught exception', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    const boom = new Error('listener failed');
    const thrower = (): void => {
      throw boom;
    };
    cluster.on('schemaChange', thrower);
    try {
      events.length = 0;
      await session.execute('CREATE TABLE evt.t (k int PRIMARY KEY)');
      await waitFor(() => uncaught.length > 0, 'the rethrown error');
      expect(uncaught).toEqual([boom]);
      await waitFor(() => events.includes('schemaChange CREATED TABLE evt'), 'the other listener');
    } finally {
      cluster.off('schemaChange', thrower);
      process.off('uncaughtException', onUncaught);
      for (const l of listeners) process.on('uncaughtException', l);
    }
    await session.execute('SELECT release_version FROM system.local');
  });
});
