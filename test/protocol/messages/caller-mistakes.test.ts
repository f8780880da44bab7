import { describe, expect, it } from 'vitest';
import { Consistency } from '../../../src/protocol/consistency.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import { ArgumentError } from '../../../src/protocol/errors/cqlwire-error.js';
import { ErrorCode } from '../../../src/protocol/errors/error-code.js';
import { encodeRequestBody } from '../../../src/protocol/messages/request-codec.js';
import type { RequestMessage } from '../../../src/protocol/messages/request-message.js';
import { BatchType } from '../../../src/protocol/messages/request-message.js';
import { encodeResponseBody } from '../../../src/protocol/messages/response-codec.js';
import type { OutgoingResponseMessage } from '../../../src/protocol/messages/response-message.js';
import { UNSET } from '../../../src/protocol/primitives/unset.js';
import type { ProtocolVersion } from '../../../src/protocol/protocol-version.js';

function requestFails(msg: RequestMessage, version: ProtocolVersion, message: string): void {
  expect(() => encodeRequestBody(msg, version)).toThrow(new ArgumentError(message));
}

const ONE = Consistency.ONE;

describe('bad caller input is an ArgumentError naming the values', () => {
  it('v5-only request fields on v4', () => {
    requestFails(
      { opcode: Opcode.QUERY, query: 'q', params: { consistency: ONE, keyspace: 'ks' } },
      4,
      "Query parameters: a per-request keyspace ('ks') needs protocol v5, the connection speaks v4",
    );
    requestFails(
      { opcode: Opcode.QUERY, query: 'q', params: { consistency: ONE, nowInSeconds: 5 } },
      4,
      'Query parameters: nowInSeconds (5) needs protocol v5, the connection speaks v4',
    );
    requestFails(
      { opcode: Opcode.PREPARE, query: 'q', keyspace: 'ks' },
      4,
      "PREPARE: a per-request keyspace ('ks') needs protocol v5, the connection speaks v4",
    );
    requestFails(
      { opcode: Opcode.BATCH, type: BatchType.LOGGED, consistency: ONE, statements: [], keyspace: 'ks' },
      4,
      "BATCH: a per-request keyspace ('ks') needs protocol v5, the connection speaks v4",
    );
    requestFails(
      {
        opcode: Opcode.EXECUTE,
        id: Buffer.from([1]),
        resultMetadataId: Buffer.from([2]),
        params: { consistency: ONE },
      },
      4,
      'EXECUTE: resultMetadataId exists only in protocol v5, the connection speaks v4',
    );
  });

  it('v5 EXECUTE without its result metadata id', () => {
    requestFails(
      { opcode: Opcode.EXECUTE, id: Buffer.from('abcd', 'hex'), params: { consistency: ONE } },
      5,
      'EXECUTE of 0xabcd on v5 needs the resultMetadataId from its PREPARE result',
    );
  });

  it('names that do not match the values, a page size that is not positive, UNSET before v4', () => {
    requestFails(
      { opcode: Opcode.QUERY, query: 'q', params: { consistency: ONE, values: [null], names: ['a', 'b'] } },
      4,
      'Query parameters: 2 names given for 1 values; they must match one to one',
    );
    requestFails(
      { opcode: Opcode.QUERY, query: 'q', params: { consistency: ONE, pageSize: 0 } },
      4,
      'Page size must be a positive 32-bit integer, got 0',
    );
    requestFails(
      { opcode: Opcode.QUERY, query: 'q', params: { consistency: ONE, pageSize: 2.5 } },
      5,
      'Page size must be a positive 32-bit integer, got 2.5',
    );
    requestFails(
      { opcode: Opcode.QUERY, query: 'q', params: { consistency: ONE, values: [null, UNSET] } },
      3,
      'Bound value 1 is UNSET, which needs protocol v4 or later (connection speaks v3)',
    );
  });

  function responseFails(msg: OutgoingResponseMessage, version: ProtocolVersion, message: string): void {
    expect(() => encodeResponseBody(msg, version)).toThrow(new ArgumentError(message));
  }

  it('inconsistent Rows metadata and v5-only result fields on v4', () => {
    const col = { keyspace: 'ks', table: 't', name: 'a', type: { kind: 'int' } as const };
    responseFails(
      {
        opcode: Opcode.RESULT,
        kind: 'rows',
        metadata: { columnCount: 2, columns: [col] },
        rowCount: 0,
        rowsContent: [],
      },
      5,
      'Rows metadata says 2 columns but lists 1',
    );
    responseFails(
      {
        opcode: Opcode.RESULT,
        kind: 'rows',
        metadata: { columnCount: 1, columns: [col], newMetadataId: Buffer.alloc(16) },
        rowCount: 0,
        rowsContent: [],
      },
      4,
      'newMetadataId (METADATA_CHANGED) needs protocol v5, the connection speaks v4',
    );
    responseFails(
      {
        opcode: Opcode.RESULT,
        kind: 'rows',
        metadata: { columnCount: 1, newMetadataId: Buffer.alloc(16) },
        rowCount: 0,
        rowsContent: [],
      },
      5,
      'newMetadataId (METADATA_CHANGED) needs the columns: it cannot go with NO_METADATA',
    );
    responseFails(
      {
        opcode: Opcode.RESULT,
        kind: 'prepared',
        id: Buffer.from('01', 'hex'),
        metadata: { columns: [], pkIndexes: [] },
        resultMetadata: { columnCount: 0 },
      },
      5,
      'A v5 Prepared result needs its resultMetadataId (statement 0x01)',
    );
  });

  it('ERROR details of another code, and a v5 failure count that disagrees with its reasons', () => {
    responseFails(
      {
        opcode: Opcode.ERROR,
        code: ErrorCode.INVALID,
        message: 'm',
        details: { code: ErrorCode.ALREADY_EXISTS, keyspace: 'k', table: 't' },
      },
      5,
      "ERROR code 0x2200 does not match its details' code 0x2400",
    );
    responseFails(
      {
        opcode: Opcode.ERROR,
        code: ErrorCode.WRITE_FAILURE,
        message: 'm',
        details: {
          code: ErrorCode.WRITE_FAILURE,
          consistency: ONE,
          received: 0,
          blockFor: 1,
          failures: 2,
          writeType: 'SIMPLE',
        },
      },
      5,
      'A v5 failure error carries its count as the reason map: 2 failures but 0 reasons',
    );
  });
});

describe('values that do not fit their field are ArgumentErrors, not RangeErrors', () => {
  it('consistency levels, timestamps, now_in_seconds and batch types', () => {
    requestFails(
      { opcode: Opcode.QUERY, query: 'q', params: { consistency: 0x0b } },
      4,
      'Query parameters consistency: 11 is not a consistency level (0 ANY to 10 LOCAL_ONE, see Consistency)',
    );
    requestFails(
      { opcode: Opcode.QUERY, query: 'q', params: { consistency: ONE, serialConsistency: 70000 } },
      4,
      'Query parameters serialConsistency: 70000 is not a consistency level (0 ANY to 10 LOCAL_ONE, see Consistency)',
    );
    requestFails(
      { opcode: Opcode.QUERY, query: 'q', params: { consistency: ONE, timestamp: 2n ** 63n } },
      4,
      'Query parameters: the timestamp 9223372036854775808 is not a signed 64-bit bigint of microseconds',
    );
    requestFails(
      {
        opcode: Opcode.EXECUTE,
        id: Buffer.alloc(1),
        resultMetadataId: Buffer.alloc(1),
        params: { consistency: ONE, nowInSeconds: -1 },
      },
      5,
      'Query parameters: nowInSeconds must be an integer 0..4294967295, got -1',
    );
    requestFails(
      { opcode: Opcode.BATCH, type: 3 as BatchType, consistency: ONE, statements: [] },
      4,
      'BATCH type must be 0 (LOGGED), 1 (UNLOGGED) or 2 (COUNTER), got 3',
    );
    requestFails(
      { opcode: Opcode.BATCH, type: BatchType.LOGGED, consistency: ONE, statements: [], timestamp: -(2n ** 63n) - 1n },
      4,
      'BATCH: the timestamp -9223372036854775809 is not a signed 64-bit bigint of microseconds',
    );
    requestFails(
      { opcode: Opcode.BATCH, type: BatchType.LOGGED, consistency: -1, statements: [] },
      4,
      'BATCH consistency: -1 is not a consistency level (0 ANY to 10 LOCAL_ONE, see Consistency)',
    );
  });
});
