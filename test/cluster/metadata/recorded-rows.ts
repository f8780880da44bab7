import type { RowsResult } from '../../../src/protocol/messages/index.js';
import { decodeResponseBody, readResponsePrefix } from '../../../src/protocol/messages/index.js';
import { PrimitiveReader } from '../../../src/protocol/primitives/index.js';
import type { ProtocolVersion } from '../../../src/protocol/protocol-version.js';
import type { Row } from '../../../src/protocol/rows/index.js';
import { decodeRowsPage, RowsShape } from '../../../src/protocol/rows/index.js';
import { recordedEnvelopes } from '../../protocol/messages/recorded-envelopes.js';
import { loadFixture, SCAN_FIXTURE_DIR } from '../../support/fixtures.js';

/**
 * The Rows answers of a scan recording, decoded with our own codec (envelopes, RESULT body, Rows
 * decoder), by the exact query text of the request: what a control connection would have read.
 */
export function recordedRowsByQuery(name: string): Map<string, Row[]> {
  const f = loadFixture(name, SCAN_FIXTURE_DIR);
  const version = f.protocol_version as ProtocolVersion;
  const responses = recordedEnvelopes(f, 's2c');
  const out = new Map<string, Row[]>();
  for (const x of f.expect.exchanges) {
    if (x.response.kind !== 'ROWS' || typeof x.request.query !== 'string') continue;
    const env = responses[x.s2c_index]!;
    const r = new PrimitiveReader(env.body);
    readResponsePrefix(r, env.flags);
    const rows = decodeResponseBody(env.opcode, env.body, version, r.offset) as RowsResult;
    const columns = rows.metadata.columns;
    if (columns === undefined) throw new Error(`${x.text}: no metadata`);
    const page = decodeRowsPage(new RowsShape(columns), rows.body, rows.rowsOffset, rows.body.length, rows.rowCount);
    out.set(x.request.query, page.rows);
  }
  return out;
}
