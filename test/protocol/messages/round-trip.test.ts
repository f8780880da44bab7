import { describe, expect, it } from 'vitest';
import { Consistency } from '../../../src/protocol/consistency.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import { ErrorCode } from '../../../src/protocol/errors/error-code.js';
import type { ErrorResponse } from '../../../src/protocol/errors/error-details.js';
import {
  AlreadyExistsError,
  BadCredentialsError,
  CasWriteUnknownError,
  CdcWriteFailureError,
  ConfigurationError,
  CqlSyntaxError,
  createServerError,
  FunctionFailureError,
  InvalidRequestError,
  IsBootstrappingError,
  OverloadedError,
  ProtocolViolationError,
  ReadFailureError,
  ReadTimeoutError,
  ServerError,
  ServerInternalError,
  TruncateError,
  UnauthorizedError,
  UnavailableError,
  UnpreparedError,
  WriteFailureError,
  WriteTimeoutError,
} from '../../../src/protocol/errors/server-error.js';
import { decodeRequestBody, encodeRequestBody } from '../../../src/protocol/messages/request-codec.js';
import type { RequestMessage } from '../../../src/protocol/messages/request-message.js';
import { BatchType } from '../../../src/protocol/messages/request-message.js';
import { decodeResponseBody, encodeResponseBody } from '../../../src/protocol/messages/response-codec.js';
import type { ErrorMessage, ResponseMessage } from '../../../src/protocol/messages/response-message.js';
import { UNSET } from '../../../src/protocol/primitives/unset.js';
import type { DataType } from '../../../src/protocol/types/data-type.js';

const INT: DataType = { kind: 'int' };
const TEXT: DataType = { kind: 'text' };
const id16 = (b: number): Buffer => Buffer.alloc(16, b);

/** Requests valid on both v4 and v5. */
const COMMON_REQUESTS: RequestMessage[] = [
  {
    opcode: Opcode.STARTUP,
    options: new Map([
      ['CQL_VERSION', '3.0.0'],
      ['DRIVER_NAME', 'cqlwire ✓'],
    ]),
  },
  { opcode: Opcode.OPTIONS },
  { opcode: Opcode.QUERY, query: 'SELECT * FROM t', params: { consistency: Consistency.ONE } },
  {
    opcode: Opcode.QUERY,
    query: 'INSERT INTO t (a, b, c) VALUES (?, ?, ?)',
    params: {
      consistency: Consistency.LOCAL_QUORUM,
      values: [Buffer.from([0, 0, 0, 1]), null, UNSET],
      skipMetadata: true,
      pageSize: 250,
      pagingState: Buffer.from('cafe', 'hex'),
      serialConsistency: Consistency.LOCAL_SERIAL,
      timestamp: -1234567890123n,
    },
  },
  {
    opcode: Opcode.QUERY,
    query: 'SELECT * FROM t WHERE a = :a',
    params: { consistency: Consistency.ALL, values: [Buffer.alloc(0)], names: ['a'] },
  },
  { opcode: Opcode.QUERY, query: 'SELECT 1', params: { consistency: Consistency.ONE, values: [] } },
  { opcode: Opcode.PREPARE, query: 'SELECT * FROM t WHERE k = ?' },
  { opcode: Opcode.BATCH, type: BatchType.LOGGED, consistency: Consistency.QUORUM, statements: [] },
  {
    opcode: Opcode.BATCH,
    type: BatchType.COUNTER,
    consistency: Consistency.ONE,
    serialConsistency: Consistency.SERIAL,
    timestamp: 42n,
    statements: [
      { query: 'UPDATE c SET n = n + 1 WHERE k = ?', values: [Buffer.from('k')] },
      { id: id16(7), values: [null, UNSET] },
    ],
  },
  { opcode: Opcode.REGISTER, events: ['SCHEMA_CHANGE'] },
  { opcode: Opcode.AUTH_RESPONSE, token: Buffer.from('\0u\0p') },
  { opcode: Opcode.AUTH_RESPONSE, token: null },
];

const V4_REQUESTS: RequestMessage[] = [
  { opcode: Opcode.EXECUTE, id: id16(1), params: { consistency: Consistency.ONE, values: [Buffer.from([1])] } },
];

const V5_REQUESTS: RequestMessage[] = [
  {
    opcode: Opcode.EXECUTE,
    id: id16(1),
    resultMetadataId: id16(2),
    params: { consistency: Consistency.TWO, keyspace: 'ks', nowInSeconds: 0xfffffff0 },
  },
  { opcode: Opcode.PREPARE, query: 'SELECT 1', keyspace: 'other_ks' },
  {
    opcode: Opcode.QUERY,
    query: 'SELECT 1',
    params: { consistency: Consistency.ONE, keyspace: 'k', nowInSeconds: 17, pageSize: 1 },
  },
  {
    opcode: Opcode.BATCH,
    type: BatchType.UNLOGGED,
    consistency: Consistency.ONE,
    keyspace: 'k',
    nowInSeconds: 3,
    statements: [{ query: 'x', values: [] }],
  },
];

describe('request bodies round-trip', () => {
  for (const version of [4, 5] as const) {
    const all = [...COMMON_REQUESTS, ...(version === 4 ? V4_REQUESTS : V5_REQUESTS)];
    it.each(
      all.map(
        (m, i) => [i, Object.keys(Opcode).find((k) => Opcode[k as keyof typeof Opcode] === m.opcode)!, m] as const,
      ),
    )(`v${version} #%i %s: decode(encode(msg)) equals msg and re-encodes to the same bytes`, (_i, _name, msg) => {
      const bytes = encodeRequestBody(msg, version);
      const decoded = decodeRequestBody(msg.opcode, bytes, version);
      expect(decoded).toEqual(msg);
      expect(encodeRequestBody(decoded, version).equals(bytes)).toBe(true);
    });
  }

  it('v3 writes [byte] flags and the same fields as v4', () => {
    const msg = COMMON_REQUESTS[2]!;
    expect(encodeRequestBody(msg, 3).equals(encodeRequestBody(msg, 4))).toBe(true);
    expect(decodeRequestBody(Opcode.QUERY, encodeRequestBody(msg, 3), 3)).toEqual(msg);
  });
});

const columns = [
  { keyspace: 'ks', table: 't', name: 'k', type: INT },
  {
    keyspace: 'ks',
    table: 't',
    name: 'm',
    type: { kind: 'map', key: TEXT, value: { kind: 'list', element: INT } } as DataType,
  },
];
const mixedColumns = [
  { keyspace: 'ks', table: 't', name: 'k', type: INT },
  { keyspace: 'ks2', table: 'u', name: 'v', type: TEXT },
];

function rows(metadata: object, rowCount: number, content: Buffer, prefix: Buffer): ResponseMessage {
  const body = Buffer.concat([prefix, content]);
  return {
    opcode: Opcode.RESULT,
    kind: 'rows',
    metadata,
    rowCount,
    body,
    rowsOffset: prefix.length,
  } as ResponseMessage;
}

function commonResponses(): ResponseMessage[] {
  return [
    { opcode: Opcode.READY },
    { opcode: Opcode.AUTHENTICATE, authenticator: 'org.apache.cassandra.auth.PasswordAuthenticator' },
    {
      opcode: Opcode.SUPPORTED,
      options: new Map([
        ['CQL_VERSION', ['3.4.7']],
        ['COMPRESSION', ['snappy', 'lz4']],
        ['EMPTY', []],
      ]),
    },
    { opcode: Opcode.RESULT, kind: 'void' },
    { opcode: Opcode.RESULT, kind: 'setKeyspace', keyspace: 'ks' },
    { opcode: Opcode.RESULT, kind: 'schemaChange', change: { change: 'CREATED', target: 'KEYSPACE', keyspace: 'ks' } },
    {
      opcode: Opcode.RESULT,
      kind: 'schemaChange',
      change: { change: 'UPDATED', target: 'TYPE', keyspace: 'ks', name: 'addr' },
    },
    {
      opcode: Opcode.RESULT,
      kind: 'schemaChange',
      change: { change: 'DROPPED', target: 'AGGREGATE', keyspace: 'ks', name: 'agg', argTypes: ['int', 'text'] },
    },
    { opcode: Opcode.EVENT, type: 'TOPOLOGY_CHANGE', change: 'MOVED_NODE', node: { address: '::1', port: 9042 } },
    { opcode: Opcode.EVENT, type: 'STATUS_CHANGE', change: 'DOWN', node: { address: '10.0.0.7', port: 19042 } },
    {
      opcode: Opcode.EVENT,
      type: 'SCHEMA_CHANGE',
      change: { change: 'FUTURE_CHANGE', target: 'FUNCTION', keyspace: 'ks', name: 'f', argTypes: [] },
    },
    { opcode: Opcode.AUTH_CHALLENGE, token: Buffer.from('challenge') },
    { opcode: Opcode.AUTH_SUCCESS, token: null },
    { opcode: Opcode.AUTH_SUCCESS, token: Buffer.alloc(0) },
  ];
}

function rowsResponses(version: 4 | 5): ResponseMessage[] {
  // body/rowsOffset are what the decoder will report: the whole body and where the cells start
  const build = (metadata: object, rowCount: number, content: Buffer): ResponseMessage => {
    const encoded = encodeResponseBody(
      { opcode: Opcode.RESULT, kind: 'rows', metadata, rowCount, rowsContent: content } as never,
      version,
    );
    return rows(metadata, rowCount, content, encoded.subarray(0, encoded.length - content.length));
  };
  const list: ResponseMessage[] = [
    build({ columnCount: 2, columns }, 1, Buffer.from('00000004000000010000000000000000', 'hex')),
    build({ columnCount: 2, columns: mixedColumns, pagingState: Buffer.from('01') }, 0, Buffer.alloc(0)),
    build({ columnCount: 3 }, 0, Buffer.alloc(0)),
    build({ columnCount: 3, globalTablesSpec: true }, 0, Buffer.alloc(0)),
    build({ columnCount: 0, columns: [] }, 2, Buffer.alloc(0)),
  ];
  if (version === 5)
    list.push(
      build(
        { columnCount: 2, columns, newMetadataId: id16(9), pagingState: Buffer.from('ab', 'hex') },
        0,
        Buffer.alloc(0),
      ),
    );
  list.push({
    opcode: Opcode.RESULT,
    kind: 'prepared',
    id: id16(3),
    ...(version === 5 ? { resultMetadataId: id16(4) } : {}),
    metadata: { columns, pkIndexes: [0] },
    resultMetadata: { columnCount: 2, columns: mixedColumns },
  });
  list.push({
    opcode: Opcode.RESULT,
    kind: 'prepared',
    id: id16(5),
    ...(version === 5 ? { resultMetadataId: id16(6) } : {}),
    metadata: { columns: mixedColumns, pkIndexes: [] },
    resultMetadata: { columnCount: 0 },
  });
  return list;
}

describe('response bodies round-trip', () => {
  for (const version of [4, 5] as const) {
    const all = [...commonResponses(), ...rowsResponses(version)];
    it.each(all.map((m, i) => [i, m] as const))(`v${version} #%i: decode(encode(msg)) equals msg`, (_i, msg) => {
      const bytes = encodeResponseBody(msg, version);
      const decoded = decodeResponseBody(msg.opcode, bytes, version);
      expect(decoded).toEqual(msg.opcode === Opcode.RESULT && msg.kind === 'rows' ? { ...msg, body: bytes } : msg);
      expect(encodeResponseBody(decoded, version).equals(bytes)).toBe(true);
    });
  }
});

const inet4 = '10.0.0.1';
const inet6 = '2001:db8::1';

/** One ERROR per code with its fields, per version, and the class it must become. */
function errors(version: 4 | 5): [ErrorResponse, new (...args: never[]) => ServerError][] {
  const reasons =
    version === 5
      ? {
          reasons: new Map([
            [inet4, 1],
            [inet6, 5],
          ]),
        }
      : {};
  return [
    [{ code: ErrorCode.SERVER_ERROR, message: 'boom' }, ServerInternalError],
    [{ code: ErrorCode.PROTOCOL_ERROR, message: 'bad' }, ProtocolViolationError],
    [{ code: ErrorCode.BAD_CREDENTIALS, message: 'no' }, BadCredentialsError],
    [
      {
        code: ErrorCode.UNAVAILABLE,
        message: 'u',
        details: { code: ErrorCode.UNAVAILABLE, consistency: Consistency.QUORUM, required: 2, alive: 1 },
      },
      UnavailableError,
    ],
    [{ code: ErrorCode.OVERLOADED, message: 'o' }, OverloadedError],
    [{ code: ErrorCode.IS_BOOTSTRAPPING, message: 'b' }, IsBootstrappingError],
    [{ code: ErrorCode.TRUNCATE_ERROR, message: 't' }, TruncateError],
    [
      {
        code: ErrorCode.WRITE_TIMEOUT,
        message: 'wt',
        details: {
          code: ErrorCode.WRITE_TIMEOUT,
          consistency: Consistency.ONE,
          received: 0,
          blockFor: 1,
          writeType: 'SIMPLE',
        },
      },
      WriteTimeoutError,
    ],
    [
      {
        code: ErrorCode.WRITE_TIMEOUT,
        message: 'cas',
        details: {
          code: ErrorCode.WRITE_TIMEOUT,
          consistency: Consistency.SERIAL,
          received: 1,
          blockFor: 2,
          writeType: 'CAS',
          ...(version === 5 ? { contentions: 3 } : {}),
        },
      },
      WriteTimeoutError,
    ],
    [
      {
        code: ErrorCode.READ_TIMEOUT,
        message: 'rt',
        details: {
          code: ErrorCode.READ_TIMEOUT,
          consistency: Consistency.TWO,
          received: 1,
          blockFor: 2,
          dataPresent: true,
        },
      },
      ReadTimeoutError,
    ],
    [
      {
        code: ErrorCode.READ_FAILURE,
        message: 'rf',
        details: {
          code: ErrorCode.READ_FAILURE,
          consistency: Consistency.ALL,
          received: 1,
          blockFor: 3,
          failures: 2,
          ...reasons,
          dataPresent: false,
        },
      },
      ReadFailureError,
    ],
    [
      {
        code: ErrorCode.FUNCTION_FAILURE,
        message: 'ff',
        details: { code: ErrorCode.FUNCTION_FAILURE, keyspace: 'ks', functionName: 'f', argTypes: ['int'] },
      },
      FunctionFailureError,
    ],
    [
      {
        code: ErrorCode.WRITE_FAILURE,
        message: 'wf',
        details: {
          code: ErrorCode.WRITE_FAILURE,
          consistency: Consistency.ONE,
          received: 0,
          blockFor: 1,
          failures: 2,
          ...reasons,
          writeType: 'BATCH',
        },
      },
      WriteFailureError,
    ],
    [{ code: ErrorCode.CDC_WRITE_FAILURE, message: 'cdc' }, CdcWriteFailureError],
    [
      {
        code: ErrorCode.CAS_WRITE_UNKNOWN,
        message: 'cu',
        details: { code: ErrorCode.CAS_WRITE_UNKNOWN, consistency: Consistency.LOCAL_SERIAL, received: 0, blockFor: 1 },
      },
      CasWriteUnknownError,
    ],
    [{ code: ErrorCode.SYNTAX_ERROR, message: 's' }, CqlSyntaxError],
    [{ code: ErrorCode.UNAUTHORIZED, message: 'ua' }, UnauthorizedError],
    [{ code: ErrorCode.INVALID, message: 'i' }, InvalidRequestError],
    [{ code: ErrorCode.CONFIG_ERROR, message: 'c' }, ConfigurationError],
    [
      {
        code: ErrorCode.ALREADY_EXISTS,
        message: 'ae',
        details: { code: ErrorCode.ALREADY_EXISTS, keyspace: 'ks', table: '' },
      },
      AlreadyExistsError,
    ],
    [
      { code: ErrorCode.UNPREPARED, message: 'up', details: { code: ErrorCode.UNPREPARED, preparedId: id16(0xee) } },
      UnpreparedError,
    ],
    [{ code: 0x7777, message: 'from the future' }, ServerError],
  ];
}

describe('ERROR bodies round-trip for every code and map to their class', () => {
  for (const version of [4, 5] as const) {
    it.each(errors(version).map(([e, cls]) => [`0x${e.code.toString(16).padStart(4, '0')}`, e, cls] as const))(
      `v${version} %s`,
      (_hex, e, cls) => {
        const msg: ErrorMessage = { opcode: Opcode.ERROR, ...e };
        const bytes = encodeResponseBody(msg, version);
        const decoded = decodeResponseBody(Opcode.ERROR, bytes, version);
        expect(decoded).toEqual(msg);
        if (decoded.opcode !== Opcode.ERROR) throw new Error('not an error');
        const err = createServerError(decoded);
        expect(err.constructor).toBe(cls);
        expect(err.code).toBe(e.code);
        expect(err.serverMessage).toBe(e.message);
      },
    );
  }

  it('v5 CAS write timeout carries contentions; v4 does not', () => {
    const [cas] = errors(5).find(([e]) => e.message === 'cas')!;
    const v5 = encodeResponseBody({ opcode: Opcode.ERROR, ...cas }, 5);
    const v4 = encodeResponseBody({ opcode: Opcode.ERROR, ...cas }, 4);
    expect(v5.length - v4.length).toBe(2);
    expect(v5.subarray(v5.length - 2).toString('hex')).toBe('0003');
  });

  it('v5 failures are a reason map of [inetaddr] and [short]; v4 a count', () => {
    const [v5e] = errors(5).find(([e]) => e.message === 'rf')!;
    const v5 = encodeResponseBody({ opcode: Opcode.ERROR, ...v5e }, 5);
    // code, message, cl, received, blockfor, n=2, 4-byte address + reason 1, 16-byte address + reason 5, data_present
    expect(v5.toString('hex')).toBe(
      '00001300' +
        '0002' +
        Buffer.from('rf').toString('hex') +
        '0005' +
        '00000001' +
        '00000003' +
        '00000002' +
        '04' +
        '0a000001' +
        '0001' +
        '10' +
        '20010db8000000000000000000000001' +
        '0005' +
        '00',
    );
    const [v4e] = errors(4).find(([e]) => e.message === 'rf')!;
    const v4 = encodeResponseBody({ opcode: Opcode.ERROR, ...v4e }, 4);
    expect(v4.toString('hex')).toBe(
      '00001300' + '0002' + Buffer.from('rf').toString('hex') + '0005' + '00000001' + '00000003' + '00000002' + '00',
    );
  });
});

describe('v3 bodies', () => {
  it('a v3 Prepared result has no partition key indexes', () => {
    const msg: ResponseMessage = {
      opcode: Opcode.RESULT,
      kind: 'prepared',
      id: Buffer.from('0a0b', 'hex'),
      metadata: { columns: [{ keyspace: 'ks', table: 't', name: 'k', type: INT }], pkIndexes: [] },
      resultMetadata: { columnCount: 0 },
    };
    const bytes = encodeResponseBody(msg, 3);
    expect(bytes.toString('hex')).toBe(
      '00000004' +
        '0002' +
        '0a0b' + // kind Prepared, id
        '00000001' +
        '00000001' + // bind metadata: GLOBAL_TABLES_SPEC, 1 column, no pk_count
        '0002' +
        '6b73' +
        '0001' +
        '74' +
        '0001' +
        '6b' +
        '0009' + // ks.t, k int
        '00000004' +
        '00000000', // result metadata: NO_METADATA, 0 columns
    );
    expect(decodeResponseBody(Opcode.RESULT, bytes, 3)).toEqual(msg);
  });

  it('v3 requests without UNSET encode as on v4', () => {
    for (const msg of COMMON_REQUESTS.filter((m) => m.opcode !== Opcode.QUERY || !m.params.values?.includes(UNSET))) {
      if (msg.opcode === Opcode.BATCH && msg.statements.some((s) => s.values.includes(UNSET))) continue;
      const bytes = encodeRequestBody(msg, 3);
      expect(bytes.equals(encodeRequestBody(msg, 4))).toBe(true);
      expect(decodeRequestBody(msg.opcode, bytes, 3)).toEqual(msg);
    }
  });
});
