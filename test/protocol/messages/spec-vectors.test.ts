import { describe, expect, it } from 'vitest';
import { Consistency } from '../../../src/protocol/consistency.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import { ErrorCode } from '../../../src/protocol/errors/error-code.js';
import { readResponsePrefix, writeResponsePrefix } from '../../../src/protocol/messages/body-prefix.js';
import { decodeRequestBody, encodeRequestBody } from '../../../src/protocol/messages/request-codec.js';
import type { RequestMessage } from '../../../src/protocol/messages/request-message.js';
import { BatchType } from '../../../src/protocol/messages/request-message.js';
import { decodeResponseBody, encodeResponseBody } from '../../../src/protocol/messages/response-codec.js';
import type { OutgoingResponseMessage } from '../../../src/protocol/messages/response-message.js';
import { PrimitiveReader } from '../../../src/protocol/primitives/primitive-reader.js';
import { PrimitiveWriter } from '../../../src/protocol/primitives/primitive-writer.js';
import { ascii, hex } from './hex.js';

const TEXT = { kind: 'text' } as const;
const INT = { kind: 'int' } as const;
const ids = (from: number): Buffer => Buffer.from(Array.from({ length: 16 }, (_, i) => from + i));

/** Asserts both directions: encoding gives the bytes, decoding the bytes gives the message. */
function request(msg: RequestMessage, version: 4 | 5, bytes: Buffer): void {
  expect(encodeRequestBody(msg, version).toString('hex')).toBe(bytes.toString('hex'));
  expect(decodeRequestBody(msg.opcode, bytes, version)).toEqual(msg);
}

describe('handshake bodies (native_protocol_v5.spec §4.1.1, §4.2.2-§4.2.4)', () => {
  it('STARTUP with CQL_VERSION only', () => {
    request(
      { opcode: Opcode.STARTUP, options: new Map([['CQL_VERSION', '3.0.0']]) },
      5,
      hex(`
      0001                        // 1 entry
      000B ${ascii('CQL_VERSION')} // key
      0005 ${ascii('3.0.0')}       // value
    `),
    );
  });

  it('STARTUP with CQL_VERSION and COMPRESSION lz4, same body on v4', () => {
    const msg: RequestMessage = {
      opcode: Opcode.STARTUP,
      options: new Map([
        ['CQL_VERSION', '3.0.0'],
        ['COMPRESSION', 'lz4'],
      ]),
    };
    const body = hex(`
      0002                        // 2 entries
      000B ${ascii('CQL_VERSION')} 0005 ${ascii('3.0.0')}
      000B ${ascii('COMPRESSION')} 0003 ${ascii('lz4')}
    `);
    expect(body.length).toBe(0x28);
    request(msg, 5, body);
    request(msg, 4, body);
  });

  it('OPTIONS and READY have empty bodies', () => {
    request({ opcode: Opcode.OPTIONS }, 5, Buffer.alloc(0));
    expect(encodeResponseBody({ opcode: Opcode.READY }, 5).length).toBe(0);
    expect(decodeResponseBody(Opcode.READY, Buffer.alloc(0), 4)).toEqual({ opcode: Opcode.READY });
  });

  it('AUTHENTICATE carries the authenticator class name', () => {
    const body = hex(`002F ${ascii('org.apache.cassandra.auth.PasswordAuthenticator')}`);
    const msg = {
      opcode: Opcode.AUTHENTICATE,
      authenticator: 'org.apache.cassandra.auth.PasswordAuthenticator',
    } as const;
    expect(encodeResponseBody(msg, 5).toString('hex')).toBe(body.toString('hex'));
    expect(decodeResponseBody(Opcode.AUTHENTICATE, body, 5)).toEqual(msg);
  });
});

describe('framed v5 bodies (native_protocol_v5.spec §4.1, §4.2)', () => {
  it('AUTH_RESPONSE with the PLAIN token', () => {
    request(
      { opcode: Opcode.AUTH_RESPONSE, token: Buffer.from('\0cassandra\0cassandra') },
      5,
      hex(`
      00000014                                   // [bytes] length 20
      00 ${ascii('cassandra')} 00 ${ascii('cassandra')}
    `),
    );
  });

  const query = 'SELECT release_version FROM system.local';
  it('QUERY at ONE with v5 [int] flags 0', () => {
    request(
      { opcode: Opcode.QUERY, query, params: { consistency: Consistency.ONE } },
      5,
      hex(`
      00000028 ${ascii(query)} // [long string]
      0001                     // consistency ONE
      00000000                 // flags
    `),
    );
  });

  it('QUERY with page size 5000', () => {
    request(
      { opcode: Opcode.QUERY, query, params: { consistency: Consistency.ONE, pageSize: 5000 } },
      5,
      hex(`
      00000028 ${ascii(query)}
      0001     // ONE
      00000004 // flags PAGE_SIZE
      00001388 // page size 5000
    `),
    );
  });

  function response(msg: OutgoingResponseMessage, bytes: Buffer): void {
    expect(encodeResponseBody(msg, 5).toString('hex')).toBe(bytes.toString('hex'));
  }

  it('RESULT Void', () => {
    const body = hex('00000001 // kind Void');
    response({ opcode: Opcode.RESULT, kind: 'void' }, body);
    expect(decodeResponseBody(Opcode.RESULT, body, 5)).toEqual({ opcode: Opcode.RESULT, kind: 'void' });
  });

  it('RESULT Rows with a global table spec', () => {
    const body = hex(`
      00000002                      // kind Rows
      00000001                      // flags GLOBAL_TABLES_SPEC
      00000001                      // 1 column
      0006 ${ascii('system')} 0005 ${ascii('local')}
      000F ${ascii('release_version')} 000D // name, varchar
      00000001                      // 1 row
      00000005 ${ascii('5.0.2')}    // cell
    `);
    const metadata = {
      columnCount: 1,
      columns: [{ keyspace: 'system', table: 'local', name: 'release_version', type: TEXT }],
    };
    response(
      { opcode: Opcode.RESULT, kind: 'rows', metadata, rowCount: 1, rowsContent: hex(`00000005 ${ascii('5.0.2')}`) },
      body,
    );
    const decoded = decodeResponseBody(Opcode.RESULT, body, 5);
    expect(decoded).toEqual({
      opcode: Opcode.RESULT,
      kind: 'rows',
      metadata,
      rowCount: 1,
      body,
      rowsOffset: body.length - 9,
    });
    if (decoded.opcode !== Opcode.RESULT || decoded.kind !== 'rows') throw new Error('not rows');
    expect(decoded.body).toBe(body);
  });

  it('RESULT Rows with HAS_MORE_PAGES and METADATA_CHANGED', () => {
    const body = hex(`
      00000002                   // kind Rows
      0000000B                   // flags GLOBAL | HAS_MORE_PAGES | METADATA_CHANGED
      00000002                   // 2 columns
      00000006 0004DEADBEEF      // paging state
      0010 A0A1A2A3A4A5A6A7A8A9AAABACADAEAF // new metadata id
      0002 6B73 0001 74          // ks.t
      0001 6B 0009               // k int
      0001 76 000D               // v varchar
      00000001                   // 1 row
      00000004 00000007          // k = 7
      FFFFFFFF                   // v = null
    `);
    const metadata = {
      columnCount: 2,
      pagingState: hex('0004DEADBEEF'),
      newMetadataId: ids(0xa0),
      columns: [
        { keyspace: 'ks', table: 't', name: 'k', type: INT },
        { keyspace: 'ks', table: 't', name: 'v', type: TEXT },
      ],
    };
    response(
      {
        opcode: Opcode.RESULT,
        kind: 'rows',
        metadata,
        rowCount: 1,
        rowsContent: [hex('00000004 00000007'), hex('FFFFFFFF')],
      },
      body,
    );
    expect(decodeResponseBody(Opcode.RESULT, body, 5)).toEqual({
      opcode: Opcode.RESULT,
      kind: 'rows',
      metadata,
      rowCount: 1,
      body,
      rowsOffset: body.length - 12,
    });
  });

  it('RESULT Rows with NO_METADATA keeps the cells in the body', () => {
    const body = hex(`
      00000002          // kind Rows
      00000004          // flags NO_METADATA
      00000002          // 2 columns
      00000002          // 2 rows
      00000004 00000001 // row 1 col 1
      00000000          // row 1 col 2: empty, not null
      00000004 00000002 // row 2 col 1
      00000001 78       // row 2 col 2
    `);
    const decoded = decodeResponseBody(Opcode.RESULT, body, 5);
    expect(decoded).toEqual({
      opcode: Opcode.RESULT,
      kind: 'rows',
      metadata: { columnCount: 2 },
      rowCount: 2,
      body,
      rowsOffset: 16,
    });
    expect(encodeResponseBody(decoded, 5).toString('hex')).toBe(body.toString('hex'));
  });

  it('EVENT STATUS_CHANGE UP 127.0.0.1:9042', () => {
    const body = hex(`
      000D ${ascii('STATUS_CHANGE')}
      0002 ${ascii('UP')}
      04 7F000001 00002352 // [inet] 127.0.0.1:9042
    `);
    const msg = {
      opcode: Opcode.EVENT,
      type: 'STATUS_CHANGE',
      change: 'UP',
      node: { address: '127.0.0.1', port: 9042 },
    } as const;
    response(msg, body);
    expect(decodeResponseBody(Opcode.EVENT, body, 5)).toEqual(msg);
  });

  it('RESULT Void behind a tracing id and warnings (envelope flags 0x0A)', () => {
    const body = hex(`
      00000000000000000000000000000000 // tracing id
      0001 0002 7731                   // warnings ["w1"]
      00000001                         // kind Void
    `);
    const r = new PrimitiveReader(body);
    expect(readResponsePrefix(r, 0x0a)).toEqual({ tracingId: Buffer.alloc(16), warnings: ['w1'] });
    expect(r.offset).toBe(22);
    expect(decodeResponseBody(Opcode.RESULT, body, 5, r.offset)).toEqual({ opcode: Opcode.RESULT, kind: 'void' });
    const w = new PrimitiveWriter();
    expect(writeResponsePrefix(w, { tracingId: Buffer.alloc(16), warnings: ['w1'] })).toBe(0x0a);
    w.int(1);
    expect(w.finish().toString('hex')).toBe(body.toString('hex'));
  });
});

describe('request bodies (native_protocol_v5.spec §4.1)', () => {
  it('REGISTER all three events', () => {
    request(
      { opcode: Opcode.REGISTER, events: ['TOPOLOGY_CHANGE', 'STATUS_CHANGE', 'SCHEMA_CHANGE'] },
      5,
      hex(`
      0003
      000F ${ascii('TOPOLOGY_CHANGE')}
      000D ${ascii('STATUS_CHANGE')}
      000D ${ascii('SCHEMA_CHANGE')}
    `),
    );
  });

  it('EXECUTE v5 with a result metadata id', () => {
    request(
      {
        opcode: Opcode.EXECUTE,
        id: ids(0),
        resultMetadataId: ids(0x10),
        params: { consistency: Consistency.LOCAL_QUORUM, values: [hex('0000002A')] },
      },
      5,
      hex(`
      0010 000102030405060708090A0B0C0D0E0F // id
      0010 101112131415161718191A1B1C1D1E1F // result metadata id
      0006                                  // LOCAL_QUORUM
      00000001                              // flags VALUES
      0001 00000004 0000002A                // 1 value: int 42
    `),
    );
  });

  it('PREPARE v5 with a keyspace', () => {
    const query = 'SELECT * FROM t WHERE k=?';
    request(
      { opcode: Opcode.PREPARE, query, keyspace: 'ks' },
      5,
      hex(`
      00000019 ${ascii(query)}
      00000001     // flags WITH_KEYSPACE
      0002 6B73    // "ks"
    `),
    );
  });

  it('BATCH v5 UNLOGGED with one prepared statement', () => {
    request(
      {
        opcode: Opcode.BATCH,
        type: BatchType.UNLOGGED,
        consistency: Consistency.ONE,
        statements: [{ id: ids(0), values: [hex('0000002A')] }],
      },
      5,
      hex(`
      01                                    // UNLOGGED
      0001                                  // 1 statement
      01 0010 000102030405060708090A0B0C0D0E0F // prepared id
      0001 00000004 0000002A                // 1 value
      0001                                  // ONE
      00000000                              // flags
    `),
    );
  });

  it('ERROR Unprepared carries the unknown id', () => {
    const body = hex(`
      00002500                    // code Unprepared
      000A ${ascii('Unprepared')} // message
      0010 000102030405060708090A0B0C0D0E0F
    `);
    const msg = {
      opcode: Opcode.ERROR,
      code: ErrorCode.UNPREPARED,
      message: 'Unprepared',
      details: { code: ErrorCode.UNPREPARED, preparedId: ids(0) },
    } as const;
    expect(encodeResponseBody(msg, 5).toString('hex')).toBe(body.toString('hex'));
    expect(decodeResponseBody(Opcode.ERROR, body, 5)).toEqual(msg);
  });
});
