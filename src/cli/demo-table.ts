/**
 * The demo's table: 9 columns of mixed types in partitions of 1,000 clustered rows (a realistic
 * time-series shape, and one the embedded server loads and pages quickly), and its synthetic row i.
 */
import { Uuid } from '../protocol/types/index.js';

/** The demo's keyspace (created by the demo with SimpleStrategy, factor 1). */
export const DEMO_KEYSPACE = 'demo';
/** The query both demo reads run. */
export const DEMO_QUERY = `SELECT * FROM ${DEMO_KEYSPACE}.events`;
/** CREATE TABLE of the demo's table. */
export const DEMO_TABLE_CQL = `CREATE TABLE ${DEMO_KEYSPACE}.events (
  bucket int, id int, name text, score double, active boolean, created_at timestamp,
  amount bigint, device uuid, payload blob, tags list<text>,
  PRIMARY KEY ((bucket), id))`;

const ROWS_PER_PARTITION = 1000;
const T0 = Date.UTC(2024, 0, 1);
// a few shared values: the loader encodes them per row; making new ones per row would only slow it
const DEVICES = Array.from({ length: 16 }, (_, i) =>
  Uuid.fromString(`00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`),
);
const PAYLOADS = Array.from({ length: 8 }, (_, i) => Buffer.alloc(16 + i * 8, i));
const TAGS = [['red'], ['green', 'blue'], [], ['a "quoted", tag']];

/**
 * Row i as the loader takes it: an array in `SELECT *` order (partition key, clustering column,
 * then the regular columns by name). One array is reused for every row: the loader encodes it
 * before asking for the next, and 2,000,000 fresh objects would only slow the load.
 */
const ROW: unknown[] = new Array<unknown>(10);
export function demoRow(i: number): readonly unknown[] {
  ROW[0] = Math.floor(i / ROWS_PER_PARTITION); // bucket
  ROW[1] = i; // id
  ROW[2] = (i & 1) === 0; // active
  ROW[3] = BigInt(i) * 1_000_003n; // amount
  ROW[4] = new Date(T0 + i * 1000); // created_at
  ROW[5] = DEVICES[i & 15]; // device
  ROW[6] = `user-${i}@example.com`; // name
  ROW[7] = PAYLOADS[i & 7]; // payload
  ROW[8] = i / 7; // score
  ROW[9] = TAGS[i & 3]; // tags
  return ROW;
}
