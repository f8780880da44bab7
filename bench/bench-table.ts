/**
 * The 5-column benchmark table (int, text, bigint, double, timestamp) shared by every part of the
 * harness: its CQL, its synthetic row i, and the names the server process loads it under.
 */

export const KEYSPACE = 'bench';

/** CREATE TABLE for a benchmark table called `name` in {@link KEYSPACE}. */
export function createTableCql(name: string): string {
  return `CREATE TABLE ${KEYSPACE}.${name} (id int PRIMARY KEY, name text, counter bigint, score double, created_at timestamp)`;
}

export const CREATE_KEYSPACE_CQL = `CREATE KEYSPACE ${KEYSPACE} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`;

const T0 = Date.UTC(2024, 0, 1);

/** The columns of row i. `SELECT *` returns them in Cassandra's order (key, then regular columns by name). */
// A type alias, not an interface, so that it is assignable to the loader's Record<string, unknown>.
// A type alias, not an interface: rows must be assignable to the server's Record<string, unknown> load source.
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
export type BenchRowValues = {
  id: number;
  name: string;
  counter: bigint;
  score: number;
  created_at: Date;
};

/** Row i; the text cell is ~25 bytes, like an e-mail address. */
export function benchRow(i: number): BenchRowValues {
  return {
    id: i,
    name: `user-${i.toString().padStart(8, '0')}@example.com`,
    counter: BigInt(i) * 1_000_003n,
    score: i / 7,
    created_at: new Date(T0 + i * 1000),
  };
}

/** A table the server process creates and fills. */
export interface TableSpec {
  name: string;
  rows: number;
}
