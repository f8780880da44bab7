import { describe, expect, it } from 'vitest';
import { MIN_TOKEN } from '../../src/protocol/token/index.js';
import { planSplits, ringPieces, scanStatements, splitQuery } from '../../src/scan/index.js';
import { loadFixture, SCAN_FIXTURE_DIR } from '../support/fixtures.js';

/** One range read in a recording: the prepared text, the bound tokens, and the rows of all its pages. */
interface RecordedRead {
  readonly query: string;
  readonly values: readonly bigint[];
  rows: number;
}

/** The range reads of a recorded connection (a read starts with an EXECUTE without paging state). */
function recordedReads(name: string): RecordedRead[] {
  const fixture = loadFixture(name, SCAN_FIXTURE_DIR);
  const prepared = new Map<string, string>();
  const reads: RecordedRead[] = [];
  let current: RecordedRead | undefined;
  for (const { request, response } of fixture.expect.exchanges) {
    if (request.opcode === 'PREPARE') prepared.set(response.query_id as string, request.query as string);
    if (request.opcode !== 'EXECUTE') continue;
    if (request.paging_state === undefined) {
      current = {
        query: prepared.get(request.query_id as string)!,
        values: (request.values as string[]).map((hex) => BigInt.asIntN(64, BigInt(`0x${hex}`))),
        rows: 0,
      };
      reads.push(current);
    }
    current!.rows += response.row_count as number;
  }
  return reads;
}

const A = -3074457345618258602n;
const B = 3074457345618258602n;

{
  describe('Cassandra 5.0.2 token range reads (5.0.2-tokenscan-v5)', () => {
    const reads = recordedReads('5.0.2-tokenscan-v5');
    const between = reads.filter((r) => r.query.endsWith('token(pk) > ? AND token(pk) <= ?'));
    const above = reads.find((r) => r.query.endsWith('WHERE token(pk) > ?'))!;
    const atMost = reads.find((r) => r.query.endsWith('WHERE token(pk) <= ?'))!;

    it('token(pk) <= -2^63 reads the whole table: the three ranges of the ring together', () => {
      expect(between.map((r) => r.values)).toEqual([
        [MIN_TOKEN, A],
        [A, B],
      ]);
      expect(above.values).toEqual([B]);
      expect(atMost.values).toEqual([MIN_TOKEN]);
      const ranges = between[0]!.rows + between[1]!.rows + above.rows;
      expect(atMost.rows).toBe(ranges);
      expect(ranges).toBeGreaterThan(0);
    });

    it('the scan reads that ring as those ranges: the wrap-around one as token(pk) > B alone, no bound at -2^63', () => {
      const ring = [
        { start: B, end: MIN_TOKEN, replicas: ['n1'] },
        { start: MIN_TOKEN, end: A, replicas: ['n2'] },
        { start: A, end: B, replicas: ['n3'] },
      ];
      const statements = scanStatements('fx_simple', 'big', ['pk', 'ck', 'v'], ['pk']);
      const queries = planSplits(ringPieces(ring), 3, undefined).splits.map((s) => splitQuery(statements, s));
      expect(queries).toEqual([
        { query: 'SELECT pk, ck, v FROM fx_simple.big WHERE token(pk) <= ?', values: [A] },
        { query: 'SELECT pk, ck, v FROM fx_simple.big WHERE token(pk) > ? AND token(pk) <= ?', values: [A, B] },
        { query: 'SELECT pk, ck, v FROM fx_simple.big WHERE token(pk) > ?', values: [B] },
      ]);
      // (MIN, A] is what the recording read as token(pk) > MIN AND token(pk) <= A: no key has the minimum token
      const rows = between[0]!.rows + between[1]!.rows + above.rows;
      expect(rows).toBe(atMost.rows);
      expect(queries.flatMap((q) => q.values)).not.toContain(MIN_TOKEN);
    });
  });
}

describe('Cassandra 5.0.2 token range reads under v4 with lz4 (5.0.2-tokenscan-v4-lz4)', () => {
  it('the range (A, B] holds the same rows as under v5', () => {
    const v4 = recordedReads('5.0.2-tokenscan-v4-lz4');
    const v5 = recordedReads('5.0.2-tokenscan-v5').filter((r) => r.values.length === 2 && r.values[0] === A);
    expect(v4.map((r) => [r.values, r.rows])).toEqual([[[A, B], v5[0]!.rows]]);
  });
});
