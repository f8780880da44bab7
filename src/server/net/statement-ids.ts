import { createHash } from 'node:crypto';
import type { DataType } from '../../protocol/types/index.js';
import { toMarshalClassName } from '../../protocol/types/index.js';

/**
 * The prepared id Cassandra gives a statement: MD5 of the keyspace name followed by the query
 * text, or of the text alone without a keyspace (Cassandra's `QueryProcessor.computeId`).
 * Checked against the recordings: `fx_v5_plain` + `SELECT * FROM kv WHERE k = ?` gives 446cb633...
 */
export function preparedStatementId(query: string, keyspace: string | undefined): Buffer {
  return createHash('md5')
    .update(keyspace === undefined ? query : keyspace + query, 'utf8')
    .digest();
}

/**
 * The v5 result_metadata_id: MD5 over each result column's name, 0x00, its marshal class name,
 * 0x00 0x00 (Cassandra's `ResultSet.computeResultMetadataId`). No columns gives MD5 of
 * nothing, d41d8cd9..., as the recordings show for an INSERT.
 */
export function resultMetadataId(columns: readonly { name: string; type: DataType }[]): Buffer {
  const h = createHash('md5');
  const zero = Buffer.from([0]);
  const zeroZero = Buffer.from([0, 0]);
  for (const c of columns) {
    h.update(c.name, 'utf8');
    h.update(zero);
    h.update(toMarshalClassName(c.type), 'utf8');
    h.update(zeroZero);
  }
  return h.digest();
}
