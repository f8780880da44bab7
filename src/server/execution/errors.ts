import { ErrorCode, InvalidRequestError } from '../../protocol/errors/index.js';

/** InvalidRequest (0x2200) with Cassandra's message. */
export function invalidRequest(message: string): InvalidRequestError {
  return new InvalidRequestError(ErrorCode.INVALID, message);
}

/** Cassandra's message when a query would need ALLOW FILTERING. */
export const FILTERING_MESSAGE = 'Cannot execute this query as it might involve data filtering and thus may have unpredictable ' +
  'performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING';

/** Cassandra's message when no keyspace is known for an unqualified table. */
export const NO_KEYSPACE_MESSAGE = 'No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename';
