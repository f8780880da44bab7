// Child process of shutdown.test.ts: connects to the given contact points, leaves a down host
// being probed and a request pending, shuts the cluster down, and must then exit on its own.
import { Cluster } from '../../../src/session/index.js';

const contactPoints = process.argv.slice(2);
const cluster = new Cluster({
  contactPoints,
  requestTimeoutMs: 60_000,
  heartbeatIntervalMs: 30_000,
  reconnect: { baseDelayMs: 60_000 },
});
const session = await cluster.connect();
const rs = await session.execute("SELECT cluster_name FROM system.local WHERE key = 'local'");
const hosts = `${cluster.hosts.length} ${cluster.hosts.some((h) => !h.isUp) ? 'down' : 'all-up'}`;
const pending = session.execute("SELECT cluster_name FROM system.local WHERE key = 'local'").then(
  () => 'answered',
  (e: unknown) => (e as Error).constructor.name,
);
await cluster.shutdown();
process.stdout.write(`${String(rs.first()?.get('cluster_name'))} ${hosts} ${await pending}\n`);
