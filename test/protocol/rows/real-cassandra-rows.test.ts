import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ColumnSpec, RowsResult } from '../../../src/protocol/messages/index.js';
import {
  decodeRequestBody,
  decodeResponseBody,
  readRequestPrefix,
  readResponsePrefix,
} from '../../../src/protocol/messages/index.js';
import { PrimitiveReader } from '../../../src/protocol/primitives/index.js';
import type { ProtocolVersion } from '../../../src/protocol/protocol-version.js';
import { decodeRowsPage, RowsShape } from '../../../src/protocol/rows/index.js';
import { fixtureNames, loadFixture } from '../../support/fixtures.js';
import { recordedEnvelopes } from '../messages/recorded-envelopes.js';
import { formatFixtureValue } from '../types/fixture-value-format.js';

/**
 * The recordings abbreviate long values (`<2000 chars, sha256 …, starts "…">`); print ours the same
 * way when the expectation is abbreviated, so the comparison stays exact.
 */
function likeRecorded(printed: string | null, expected: string | null): string | null {
  if (printed === null || expected === null) return printed;
  const m = /^<(\d+) (chars|bytes), sha256 ([0-9a-f]{64})/.exec(expected);
  if (!m) return printed;
  const unit = m[2]!;
  const raw = unit === 'chars' ? Buffer.from(printed, 'utf8') : Buffer.from(printed.replace(/^0x/, ''), 'hex');
  const size = unit === 'chars' ? Array.from(printed).length : raw.length;
  const digest = createHash('sha256').update(raw).digest('hex');
  return size === Number(m[1]) && digest === m[3] ? expected : `<${size} ${unit}, sha256 ${digest}>`;
}

/**
 * Every RESULT Rows of every real-Cassandra recording, decoded by the zero-copy Rows decoder with
 * every cell read, must print exactly as the recording's independent decoder listed the rows.
 * NO_METADATA pages are decoded with the result metadata of the PREPARE that made the statement,
 * as a client holding the statement would.
 */
describe('RowsPage decodes every RESULT Rows of the real-Cassandra recordings', () => {
  for (const name of fixtureNames()) {
    const f = loadFixture(name);
    const exchangesWithRows = f.expect.exchanges.filter((x) => x.response.kind === 'ROWS');
    if (exchangesWithRows.length === 0) continue;
    it(`${name}: ${exchangesWithRows.length} Rows results`, () => {
      const version = f.protocol_version as ProtocolVersion;
      const requests = recordedEnvelopes(f, 'c2s');
      const responses = recordedEnvelopes(f, 's2c');
      const preparedColumns = new Map<string, readonly ColumnSpec[]>();
      let checkedCells = 0;
      for (const x of f.expect.exchanges) {
        const reqEnv = requests[x.c2s_index]!;
        const resEnv = responses[x.s2c_index]!;
        const rr = new PrimitiveReader(resEnv.body);
        readResponsePrefix(rr, resEnv.flags);
        const response = decodeResponseBody(resEnv.opcode, resEnv.body, version, rr.offset);
        if (response.opcode === 0x08 && response.kind === 'prepared' && response.resultMetadata.columns) {
          preparedColumns.set(response.id.toString('hex'), response.resultMetadata.columns);
        }
        if (x.response.kind !== 'ROWS') continue;
        const rows = response as RowsResult;
        let columns: readonly ColumnSpec[] | undefined = rows.metadata.columns;
        if (columns === undefined) {
          const qr = new PrimitiveReader(reqEnv.body);
          readRequestPrefix(qr, reqEnv.flags);
          const request = decodeRequestBody(reqEnv.opcode, reqEnv.body, version, qr.offset);
          expect(request.opcode).toBe(0x0a);
          columns = preparedColumns.get((request as { id: Buffer }).id.toString('hex'));
        }
        expect(columns, `${x.text}: metadata`).toBeDefined();
        const page = decodeRowsPage(
          new RowsShape(columns!),
          rows.body,
          rows.rowsOffset,
          rows.body.length,
          rows.rowCount,
          rows.metadata.pagingState,
        );
        expect(page.length).toBe(x.response.row_count);
        const printed = page.rows.map((row) =>
          row.values().map((v, j) => (v === null ? null : formatFixtureValue(columns![j]!.type, v))),
        );
        checkedCells += printed.length * columns!.length;
        const all = x.response.rows as (string | null)[][] | undefined;
        const compare = (ours: (string | null)[][], recorded: (string | null)[][]): void => {
          expect(
            ours.map((row, i) => row.map((v, j) => likeRecorded(v, recorded[i]?.[j] ?? null))),
            x.text,
          ).toEqual(recorded);
        };
        if (all !== undefined) {
          compare(printed, all);
        } else {
          const first = x.response.first_rows as (string | null)[][];
          const last = x.response.last_rows as (string | null)[][];
          compare(printed.slice(0, first.length), first);
          compare(printed.slice(printed.length - last.length), last);
        }
      }
      expect(checkedCells).toBeGreaterThan(0);
    });
  }
});
