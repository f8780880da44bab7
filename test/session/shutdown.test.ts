import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { runTsxScript } from '../support/run-tsx-script.js';

const here = dirname(fileURLToPath(import.meta.url));
let server: EmbeddedServer;

beforeAll(async () => {
  server = await startEmbeddedServer({ nodes: 2, port: 0, clusterName: 'exit-test' });
});

afterAll(async () => {
  await server?.stop();
});

describe('cluster.shutdown()', () => {
  it('leaves nothing behind: the process exits on its own right after it', async () => {
    // node 2 is down: the child discovers it, fails to open its pool and keeps probing it with backoff
    await server.nodes[1]!.stop();
    const { code, out, ms } = await runTsxScript(join(here, 'support/shutdown-and-exit.ts'), [
      server.contactPoints[0]!,
    ]);
    // the pending request was failed by the shutdown, not left hanging for its 60 s timeout
    expect(out.trim()).toMatch(/^exit-test 2 down (answered|ConnectionClosedError)$/);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(15_000);
  });
});
