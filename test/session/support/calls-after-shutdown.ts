// Child process of closed.test.ts: shuts a cluster (then, on a second cluster, a session) down,
// calls batch(), prepare() and execute() afterwards, prints what each was refused with, and must
// then exit on its own: a call that reconnected would leave a socket keeping the process alive.
import { Cluster, type Session } from '../../../src/session/index.js';

const contactPoints = process.argv.slice(2);
const LOCAL = "SELECT cluster_name FROM system.local WHERE key = 'local'";

async function report(what: string, session: Session): Promise<void> {
  const calls: [string, () => Promise<unknown>][] = [
    ['batch()', () => session.batch([{ query: LOCAL, params: [] }])],
    ['prepare()', () => session.prepare(LOCAL)],
    ['execute()', () => session.execute(LOCAL)],
  ];
  for (const [name, call] of calls) {
    const outcome = await call().then(
      () => 'succeeded',
      (e: unknown) => `${(e as Error).constructor.name} ${String((e as { closed?: unknown }).closed)}`,
    );
    process.stdout.write(`${what} ${name} ${outcome}\n`);
  }
}

const first = new Cluster({ contactPoints });
const a = await first.connect();
await first.shutdown();
await report('cluster', a);

const second = new Cluster({ contactPoints });
const b = await second.connect();
await b.shutdown();
await report('session', b);
// the second cluster's control connection is closed here; nothing the refused calls did may remain
await second.shutdown();
