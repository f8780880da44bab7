import { describe, expect, it } from 'vitest';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import { ProtocolError } from '../../../src/protocol/errors/cqlwire-error.js';
import { readResponsePrefix } from '../../../src/protocol/messages/body-prefix.js';
import { decodeRequestBody } from '../../../src/protocol/messages/request-codec.js';
import { decodeResponseBody } from '../../../src/protocol/messages/response-codec.js';
import { PrimitiveReader } from '../../../src/protocol/primitives/primitive-reader.js';
import type { ProtocolVersion } from '../../../src/protocol/protocol-version.js';
import { loadFixture } from '../../support/fixtures.js';
import { ascii, hex } from './hex.js';
import type { RecordedEnvelope } from './recorded-envelopes.js';
import { recordedEnvelopes } from './recorded-envelopes.js';

function expectProtocolError(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ProtocolError);
  expect((caught as Error).message).toMatch(message);
}

/** Where the message proper starts (after the prefix the flags announce) and where decoding must stop mattering. */
function messageRange(
  env: RecordedEnvelope,
  isResponse: boolean,
  version: ProtocolVersion,
): { start: number; end: number } {
  const r = new PrimitiveReader(env.body);
  if (isResponse) readResponsePrefix(r, env.flags);
  const start = r.offset;
  if (!isResponse) return { start, end: env.body.length };
  const msg = decodeResponseBody(env.opcode, env.body, version, start);
  // Rows cells are not read here (the zero-copy Rows decoder walks them), so cutting them is no error
  return { start, end: msg.opcode === Opcode.RESULT && msg.kind === 'rows' ? msg.rowsOffset : env.body.length };
}

describe('truncated real bodies are ProtocolErrors at every offset', () => {
  // `cuts` is how many truncated bodies the chosen messages give: it pins down that they were all reached
  const cases: { name: string; version: ProtocolVersion; opcodes: number[]; cuts: number }[] = [
    {
      name: '5.0.2-v5-plain',
      version: 5,
      opcodes: [
        Opcode.RESULT,
        Opcode.ERROR,
        Opcode.EVENT,
        Opcode.SUPPORTED,
        Opcode.EXECUTE,
        Opcode.BATCH,
        Opcode.QUERY,
        Opcode.PREPARE,
        Opcode.STARTUP,
        Opcode.REGISTER,
      ],
      cuts: 8521,
    },
    {
      name: '4.1.7-v4-plain',
      version: 4,
      opcodes: [Opcode.RESULT, Opcode.ERROR, Opcode.EXECUTE, Opcode.QUERY],
      cuts: 955,
    },
    {
      name: '5.0.2-auth-ok',
      version: 5,
      opcodes: [Opcode.AUTHENTICATE, Opcode.AUTH_SUCCESS, Opcode.AUTH_RESPONSE],
      cuts: 77,
    },
  ];
  for (const { name, version, opcodes, cuts } of cases) {
    it(`${name}: ${opcodes.length} kinds of message`, () => {
      const f = loadFixture(name);
      let checked = 0;
      for (const dir of ['c2s', 's2c'] as const) {
        const isResponse = dir === 's2c';
        const seen = new Set<string>();
        for (const env of recordedEnvelopes(f, dir)) {
          if (!opcodes.includes(env.opcode)) continue;
          const key = `${env.opcode}:${env.body.length > 200 ? 'big' : env.body.length}`;
          if (seen.has(key) || env.body.length > 7000) continue;
          seen.add(key);
          const { start, end } = messageRange(env, isResponse, version);
          for (let cut = start; cut < end; cut++) {
            const body = env.body.subarray(0, cut);
            const decode = isResponse
              ? () => decodeResponseBody(env.opcode, body, version, start)
              : () => decodeRequestBody(env.opcode, body, version, start);
            expectProtocolError(decode, /Truncated|Negative|Invalid/);
            checked++;
          }
        }
      }
      expect(checked).toBe(cuts);
    });
  }
});

describe('malformed bodies', () => {
  it('an unknown opcode is a ProtocolError in both directions', () => {
    for (const op of [0x04, 0x11, 0xff]) {
      expectProtocolError(() => decodeResponseBody(op, Buffer.alloc(8), 5), /Unknown response opcode/);
      expectProtocolError(() => decodeRequestBody(op, Buffer.alloc(8), 5), /Unknown request opcode/);
    }
    // a request opcode is no response and the other way round
    expectProtocolError(() => decodeResponseBody(Opcode.QUERY, Buffer.alloc(8), 4), /Unknown response opcode 0x07/);
    expectProtocolError(() => decodeRequestBody(Opcode.RESULT, Buffer.alloc(8), 4), /Unknown request opcode 0x08/);
  });

  it('a [string] whose length points past the end', () => {
    expectProtocolError(
      () => decodeResponseBody(Opcode.AUTHENTICATE, hex('00FF 61 // 255 declared, 1 present'), 5),
      /Truncated \[string\] body/,
    );
    expectProtocolError(
      () => decodeResponseBody(Opcode.RESULT, hex('00000003 // Set_keyspace\n 0010 6B73'), 5),
      /Truncated \[string\] body/,
    );
  });

  it('an unknown RESULT kind', () => {
    expectProtocolError(() => decodeResponseBody(Opcode.RESULT, hex('00000006'), 5), /Unknown RESULT kind 0x0006/);
    expectProtocolError(() => decodeResponseBody(Opcode.RESULT, hex('FFFFFFFF'), 4), /Unknown RESULT kind 0xffffffff/);
  });

  it('absurd declared counts fail before anything of that size is allocated', () => {
    // Rows: 2^31-1 columns with metadata but no column specs
    expectProtocolError(
      () => decodeResponseBody(Opcode.RESULT, hex('00000002 00000001 7FFFFFFF 0001 61 0001 62'), 5),
      /Truncated column specs/,
    );
    expectProtocolError(
      () => decodeResponseBody(Opcode.RESULT, hex('00000002 00000004 FFFFFFFF'), 5),
      /Negative Rows column count/,
    );
    expectProtocolError(
      () => decodeResponseBody(Opcode.RESULT, hex('00000002 00000004 00000001 80000000'), 5),
      /Negative Rows row count/,
    );
    // Prepared: 2^31-1 partition key indexes
    expectProtocolError(
      () => decodeResponseBody(Opcode.RESULT, hex('00000004 0000 00000000 00000000 7FFFFFFF'), 4),
      /Truncated partition key indexes/,
    );
    // QUERY: 65535 bound values, none present
    expectProtocolError(
      () => decodeRequestBody(Opcode.QUERY, hex(`00000001 ${ascii('x')} 0001 01 FFFF`), 4),
      /Truncated bound values/,
    );
    // v5 READ_FAILURE reason map of 2^31-1 entries
    expectProtocolError(
      () => decodeResponseBody(Opcode.ERROR, hex('00001300 0000 0001 00000000 00000001 7FFFFFFF'), 5),
      /Truncated error reason map/,
    );
    // BATCH of 65535 statements
    expectProtocolError(() => decodeRequestBody(Opcode.BATCH, hex('00 FFFF'), 5), /Truncated BATCH statements/);
  });

  it('invalid [value] lengths, batch types, batch kinds and batch flags', () => {
    expectProtocolError(
      () => decodeRequestBody(Opcode.QUERY, hex(`00000001 ${ascii('x')} 0001 01 0001 FFFFFFFD`), 4),
      /Invalid \[value\] length -3/,
    );
    expectProtocolError(() => decodeRequestBody(Opcode.BATCH, hex('03 0000 0001 00'), 4), /Invalid BATCH type 3/);
    expectProtocolError(
      () => decodeRequestBody(Opcode.BATCH, hex('00 0001 02 0000 0000 0001 00'), 4),
      /Invalid BATCH statement kind 2/,
    );
    expectProtocolError(
      () => decodeRequestBody(Opcode.BATCH, hex('00 0000 0001 40 // names for values'), 4),
      /Invalid BATCH flags 0x40/,
    );
  });

  it('unknown EVENT types and schema change targets (unknown change strings are fine)', () => {
    expectProtocolError(
      () => decodeResponseBody(Opcode.EVENT, hex(`0004 ${ascii('NOPE')}`), 5),
      /Unknown EVENT type 'NOPE'/,
    );
    expectProtocolError(
      () =>
        decodeResponseBody(
          Opcode.RESULT,
          hex(`00000005 0007 ${ascii('CREATED')} 0005 ${ascii('INDEX')} 0002 ${ascii('ks')}`),
          5,
        ),
      /Unknown schema change target 'INDEX'/,
    );
    expect(
      decodeResponseBody(
        Opcode.EVENT,
        hex(`000F ${ascii('TOPOLOGY_CHANGE')} 0009 ${ascii('MAYBE_NEW')} 10 00000000000000000000000000000001 00002352`),
        5,
      ),
    ).toEqual({
      opcode: Opcode.EVENT,
      type: 'TOPOLOGY_CHANGE',
      change: 'MAYBE_NEW',
      node: { address: '::1', port: 9042 },
    });
  });

  it('an [inet] of a size other than 4 or 16', () => {
    expectProtocolError(
      () =>
        decodeResponseBody(
          Opcode.EVENT,
          hex(`000D ${ascii('STATUS_CHANGE')} 0002 ${ascii('UP')} 05 7F00000100 00002352`),
          5,
        ),
      /Invalid \[inetaddr\] size 5/,
    );
  });

  it('trailing bytes after a body are ignored (native_protocol_v5.spec §2.4)', () => {
    expect(decodeResponseBody(Opcode.RESULT, hex('00000001 DEADBEEF'), 5)).toEqual({
      opcode: Opcode.RESULT,
      kind: 'void',
    });
    expect(decodeRequestBody(Opcode.REGISTER, hex(`0001 000D ${ascii('SCHEMA_CHANGE')} 00 00`), 5)).toEqual({
      opcode: Opcode.REGISTER,
      events: ['SCHEMA_CHANGE'],
    });
    expect(decodeResponseBody(Opcode.READY, hex('01020304'), 4)).toEqual({ opcode: Opcode.READY });
  });

  it('a truncated response prefix', () => {
    expectProtocolError(() => readResponsePrefix(new PrimitiveReader(Buffer.alloc(10)), 0x02), /Truncated \[uuid\]/);
    expectProtocolError(() => readResponsePrefix(new PrimitiveReader(hex('0002 0001 61')), 0x08), /Truncated/);
    expectProtocolError(
      () => readResponsePrefix(new PrimitiveReader(hex('0001 0001 61 00000005 00')), 0x04),
      /Truncated \[bytes\] body/,
    );
  });
});
