import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';

/** The CQL port inside the container. */
export const CQL_PORT = 9042;
/** Cassandra's first start (commit log, system keyspaces, gossip settling) can be slow on a shared CI machine. */
export const STARTUP_TIMEOUT_MS = 300_000;

/** A started single-node Cassandra and where its CQL port is reachable from the test. */
export interface RunningCassandra {
  image: string;
  host: string;
  port: number;
  /** `host:port`, as a contact point. */
  contactPoint: string;
  stop(): Promise<void>;
}

/**
 * Starts `image` (e.g. `cassandra:5.0`) through testcontainers and waits until it accepts CQL
 * clients: the log line Cassandra prints once the native transport is up ("Starting listening for
 * CQL clients") and the mapped port accepting connections. The heap is kept small so two nodes
 * fit a CI machine; the data center is the image's default, `datacenter1`.
 */
export async function startCassandra(image: string): Promise<RunningCassandra> {
  const container: StartedTestContainer = await new GenericContainer(image)
    .withExposedPorts(CQL_PORT)
    .withEnvironment({
      MAX_HEAP_SIZE: '768M',
      HEAP_NEWSIZE: '128M',
      CASSANDRA_CLUSTER_NAME: 'cqlwire-integration',
      CASSANDRA_DC: 'datacenter1',
      CASSANDRA_ENDPOINT_SNITCH: 'GossipingPropertyFileSnitch',
    })
    .withWaitStrategy(Wait.forAll([Wait.forLogMessage(/Starting listening for CQL clients/), Wait.forListeningPorts()]))
    .withStartupTimeout(STARTUP_TIMEOUT_MS)
    .start();
  const host = container.getHost();
  const port = container.getMappedPort(CQL_PORT);
  return {
    image,
    host,
    port,
    contactPoint: `${host}:${port}`,
    stop: async () => {
      await container.stop();
    },
  };
}
