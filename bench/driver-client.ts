/**
 * npm cassandra-driver as the benchmarks use it: protocol v4 (its highest), prepared statements,
 * `client.stream()` and `eachRow` with autoPage, every cell of every row read.
 */
import cassandra from 'cassandra-driver';
import type { DriverBenchRow, ReadTally } from './read-rows.js';
import { foldDriverRow } from './read-rows.js';

/** A connected cassandra-driver client. */
export interface DriverClient {
  /** `for await (const row of client.stream(query, [], { prepare, fetchSize, autoPage }))`. */
  stream(query: string, fetchSize: number): Promise<ReadTally>;
  /** `client.eachRow(query, [], { prepare, fetchSize, autoPage: true }, onRow, onEnd)`. */
  eachRow(query: string, fetchSize: number): Promise<ReadTally>;
  /** One small prepared execute. */
  executeOne(query: string, params: readonly unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** Connects cassandra-driver to one node. */
export async function connectDriver(host: string, port: number): Promise<DriverClient> {
  const client = new cassandra.Client({
    contactPoints: [`${host}:${port}`],
    localDataCenter: 'datacenter1',
    protocolOptions: { port, maxVersion: 4 },
  });
  await client.connect();
  return {
    async stream(query, fetchSize) {
      let rows = 0;
      let checksum = 0;
      const readable = client.stream(query, [], {
        prepare: true,
        fetchSize,
        autoPage: true,
      }) as unknown as AsyncIterable<DriverBenchRow>;
      for await (const row of readable) {
        checksum += foldDriverRow(row);
        rows++;
      }
      return { rows, checksum };
    },
    eachRow(query, fetchSize) {
      return new Promise<ReadTally>((resolve, reject) => {
        let rows = 0;
        let checksum = 0;
        client.eachRow(
          query,
          [],
          { prepare: true, fetchSize, autoPage: true },
          (_n: number, row: unknown) => {
            checksum += foldDriverRow(row as DriverBenchRow);
            rows++;
          },
          (err: unknown) => {
            if (err) reject(err instanceof Error ? err : new Error(String(err)));
            else resolve({ rows, checksum });
          },
        );
      });
    },
    async executeOne(query, params) {
      const rs = await client.execute(query, params as unknown[], { prepare: true });
      return rs.rowLength;
    },
    close: () => client.shutdown(),
  };
}
