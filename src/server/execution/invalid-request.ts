// Embedded server: the InvalidRequest errors its statements raise, with Cassandra's messages.

import { ErrorCode, InvalidRequestError } from '../../protocol/errors/index.js';
import type { TableMetadata } from '../schema/index.js';

/** InvalidRequest (0x2200) with Cassandra's message. */
export function invalidRequest(message: string): InvalidRequestError {
  return new InvalidRequestError(ErrorCode.INVALID, message);
}

/** Cassandra's message when a query would need ALLOW FILTERING. */
export const FILTERING_MESSAGE =
  'Cannot execute this query as it might involve data filtering and thus may have unpredictable ' +
  'performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING';

/** Cassandra's message when no keyspace is known for an unqualified table. */
export const NO_KEYSPACE_MESSAGE =
  'No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename';

/** Cassandra caps partition key components at 65535 bytes (they are written with a 2-byte length). */
export function checkKeyComponents(parts: readonly Buffer[]): void {
  for (const b of parts) {
    if (b.length > 0xffff) throw invalidRequest(`Key length of ${b.length} is longer than maximum of 65535`);
  }
}

const PLAIN = /^[a-z][a-z0-9_]*$/;
function maybeQuote(name: string): string {
  return PLAIN.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Cassandra 5.0's `TableMetadata.getExistingColumn` message (selection, WHERE, INSERT, SET alike). */
export function undefinedColumn(name: string, table: Pick<TableMetadata, 'keyspace' | 'name'>): InvalidRequestError {
  return invalidRequest(
    `Undefined column name ${maybeQuote(name)} in table ${maybeQuote(table.keyspace)}.${maybeQuote(table.name)}`,
  );
}
