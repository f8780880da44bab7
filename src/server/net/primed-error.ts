import { consistencyName } from '../../protocol/consistency.js';
import type { ErrorResponse } from '../../protocol/errors/index.js';
import { ErrorCode } from '../../protocol/errors/index.js';

/** What the request being failed tells us, to fill in plausible error details. */
export interface PrimedErrorContext {
  consistency: number;
  keyspace: string | undefined;
  /** The prepared id of an EXECUTE, or the id the query would get. */
  preparedId: Buffer;
  /** The answering node's address, for v5 failure reason maps. */
  nodeAddress: string;
}

/** The message Cassandra gives for an unknown prepared id (the recordings' wording). */
export function unpreparedMessage(id: Buffer): string {
  return (
    `Prepared query with ID ${id.toString('hex')} not found (either the query was not prepared on this host ` +
    '(maybe the host has been restarted?) or you have prepared too many queries and it has been evicted from the internal cache)'
  );
}

/** The message of READ_FAILURE and WRITE_FAILURE when the one replica asked failed. */
function oneReplicaFailedMessage(ctx: PrimedErrorContext): string {
  return `Operation failed - received 0 responses and 1 failures: UNKNOWN from /${ctx.nodeAddress}:7000`;
}

/** The fields READ_FAILURE and WRITE_FAILURE share when the one replica asked failed (reason 0x0000, UNKNOWN). */
function oneReplicaFailed(ctx: PrimedErrorContext): {
  consistency: number;
  received: number;
  blockFor: number;
  failures: number;
  reasons: Map<string, number>;
} {
  return {
    consistency: ctx.consistency,
    received: 0,
    blockFor: 1,
    failures: 1,
    reasons: new Map([[ctx.nodeAddress, 0]]),
  };
}

/**
 * An ERROR for a primed fault: the message Cassandra would give for that code (unless one was
 * primed) and the code-specific fields a driver reads (native_protocol_v5.spec §8 (Error codes)),
 * shaped as a single replica that did not answer.
 */
export function primedError(code: number, message: string | undefined, ctx: PrimedErrorContext): ErrorResponse {
  const cl = ctx.consistency;
  const clName = consistencyName(cl);
  const ks = ctx.keyspace ?? 'ks';
  switch (code) {
    case ErrorCode.UNAVAILABLE:
      return {
        code,
        message: message ?? `Cannot achieve consistency level ${clName}`,
        details: { code, consistency: cl, required: 1, alive: 0 },
      };
    case ErrorCode.READ_TIMEOUT:
      return {
        code,
        message: message ?? `Operation timed out - received only 0 responses.`,
        details: { code, consistency: cl, received: 0, blockFor: 1, dataPresent: false },
      };
    case ErrorCode.WRITE_TIMEOUT:
      return {
        code,
        message: message ?? `Operation timed out - received only 0 responses.`,
        details: { code, consistency: cl, received: 0, blockFor: 1, writeType: 'SIMPLE' },
      };
    case ErrorCode.READ_FAILURE:
      return {
        code,
        message: message ?? oneReplicaFailedMessage(ctx),
        details: { code, ...oneReplicaFailed(ctx), dataPresent: false },
      };
    case ErrorCode.WRITE_FAILURE:
      return {
        code,
        message: message ?? oneReplicaFailedMessage(ctx),
        details: { code, ...oneReplicaFailed(ctx), writeType: 'SIMPLE' },
      };
    case ErrorCode.CAS_WRITE_UNKNOWN:
      return {
        code,
        message: message ?? `CAS operation result is unknown - proposal accepted by 0 but not a quorum.`,
        details: { code, consistency: cl, received: 0, blockFor: 1 },
      };
    case ErrorCode.FUNCTION_FAILURE:
      return {
        code,
        message: message ?? 'execution of primed function failed',
        details: { code, keyspace: ks, functionName: 'primed', argTypes: [] },
      };
    case ErrorCode.ALREADY_EXISTS:
      return {
        code,
        message: message ?? `Cannot add already existing table "primed" to keyspace "${ks}"`,
        details: { code, keyspace: ks, table: 'primed' },
      };
    case ErrorCode.UNPREPARED:
      return {
        code,
        message: message ?? unpreparedMessage(ctx.preparedId),
        details: { code, preparedId: ctx.preparedId },
      };
    case ErrorCode.OVERLOADED:
      return { code, message: message ?? 'Server is in overloaded state. Cannot accept more requests at this point' };
    case ErrorCode.IS_BOOTSTRAPPING:
      return { code, message: message ?? 'Cannot read from a bootstrapping node' };
    case ErrorCode.SERVER_ERROR:
      return { code, message: message ?? 'java.lang.RuntimeException: primed server error' };
    case ErrorCode.PROTOCOL_ERROR:
      return { code, message: message ?? 'primed protocol error' };
    case ErrorCode.BAD_CREDENTIALS:
      return { code, message: message ?? 'Provided username cassandra and/or password are incorrect' };
    case ErrorCode.TRUNCATE_ERROR:
      return { code, message: message ?? 'Error during truncate: primed truncate error' };
    case ErrorCode.CDC_WRITE_FAILURE:
      return {
        code,
        message:
          message ??
          'Rejecting mutation to keyspace primed. Free up space in cdc_raw_directory by processing CDC logs.',
      };
    case ErrorCode.SYNTAX_ERROR:
      return { code, message: message ?? 'line 1:0 no viable alternative at input (primed syntax error)' };
    case ErrorCode.UNAUTHORIZED:
      return {
        code,
        message: message ?? `User cassandra has no SELECT permission on <keyspace ${ks}> or any of its parents`,
      };
    case ErrorCode.INVALID:
      return { code, message: message ?? 'primed invalid request' };
    case ErrorCode.CONFIG_ERROR:
      return { code, message: message ?? 'primed configuration error' };
    default:
      return { code, message: message ?? `primed error 0x${code.toString(16).padStart(4, '0')}` };
  }
}
