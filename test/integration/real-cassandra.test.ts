import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnection } from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { decodeRowsPage, RowsShape } from '../../src/protocol/rows/index.js';
import { conformanceScenarios, type ScenarioContext } from './conformance-scenarios.js';
import { streamingScenarios } from './streaming-scenarios.js';
import { type RunningCassandra, STARTUP_TIMEOUT_MS, startCassandra } from './support/cassandra-container.js';
import { probeDockerEngine } from './support/docker-probe.js';

/**
 * Real Apache Cassandra 4.1 and 5.0 in containers (testcontainers), started together at the
 * beginning of the file: the handshake of our `Connection` at v5/v4 with and without lz4, then
 * the conformance and streaming scenarios through the public API (`Cluster`, `executeStream`).
 *
 * Without a reachable Docker engine (probed in a few seconds), or with CQLWIRE_INTEGRATION=0,
 * everything is skipped and exactly one line says why; nothing is reported as passed.
 * CQLWIRE_CASSANDRA_IMAGES (comma-separated) overrides the images.
 */

const IMAGES = (process.env.CQLWIRE_CASSANDRA_IMAGES ?? 'cassandra:4.1,cassandra:5.0')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s !== '');

async function skipReason(): Promise<string | undefined> {
  if (process.env.CQLWIRE_INTEGRATION === '0') return 'CQLWIRE_INTEGRATION=0';
  const probe = await probeDockerEngine();
  return probe.reachable ? undefined : `no Docker engine reachable (checked ${probe.checked.join(', ')})`;
}

const dockerMissing = await skipReason();
if (dockerMissing !== undefined) console.log(`integration: skipped — ${dockerMissing}`);

/** The version prefix Cassandra reports in release_version for an image tag. */
function serverVersionOf(image: string): string {
  return /:(\d+\.\d+)/.exec(image)?.[1] ?? '5.0';
}

describe.skipIf(dockerMissing !== undefined)('real Cassandra through testcontainers', () => {
  const started = new Map<string, Promise<RunningCassandra>>();

  beforeAll(() => {
    // start every image at once; each describe below waits for its own
    for (const image of IMAGES) {
      const p = startCassandra(image);
      p.catch(() => {
        // not lost: the describe that awaits this image reports the failure
      });
      started.set(image, p);
    }
  });
  afterAll(async () => {
    await Promise.all([...started.values()].map(async (p) => (await p.catch(() => undefined))?.stop()));
  }, 120_000);

  describe.each(IMAGES)('%s', (image) => {
    let cassandra: RunningCassandra;
    beforeAll(async () => {
      cassandra = await started.get(image)!;
    }, STARTUP_TIMEOUT_MS + 10_000);

    it.each([
      [5, 'none'],
      [5, 'lz4'],
      [4, 'none'],
      [4, 'lz4'],
    ] as const)(
      'our Connection completes the handshake at v%i with compression %s and reads system.local',
      async (version, compression) => {
        const connection = await openConnection({
          host: cassandra.host,
          port: cassandra.port,
          protocolVersion: version,
          compression,
          heartbeatIntervalMs: 0,
        });
        try {
          expect(connection.protocolVersion).toBe(version);
          expect(connection.compression).toBe(compression);
          const response = await connection.send({
            opcode: Opcode.QUERY,
            query: 'SELECT release_version FROM system.local',
            params: { consistency: 0x0001 },
          });
          const message = response.message;
          if (message.opcode !== Opcode.RESULT || message.kind !== 'rows')
            throw new Error(`expected RESULT Rows, got ${JSON.stringify(message)}`);
          const page = decodeRowsPage(
            new RowsShape(message.metadata.columns!),
            message.body,
            message.rowsOffset,
            message.body.length,
            message.rowCount,
          );
          expect(page.length).toBe(1);
          expect(String(page.cell(0, 0)).slice(0, 3)).toBe(serverVersionOf(image));
        } finally {
          await connection.close();
        }
      },
      60_000,
    );

    const context = (): ScenarioContext => ({ cassandra, serverVersion: serverVersionOf(image) });
    describe('conformance scenarios with Cluster', () => conformanceScenarios(context), 120_000);
    describe('streaming scenarios with executeStream', () => streamingScenarios(context), 120_000);
  });
});
