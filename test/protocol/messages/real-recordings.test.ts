import { describe, expect, it } from 'vitest';
import {
  readRequestPrefix,
  readResponsePrefix,
  writeResponsePrefix,
} from '../../../src/protocol/messages/body-prefix.js';
import { decodeRequestBody, encodeRequestBody } from '../../../src/protocol/messages/request-codec.js';
import { decodeResponseBody, writeResponseBody } from '../../../src/protocol/messages/response-codec.js';
import { PrimitiveReader } from '../../../src/protocol/primitives/primitive-reader.js';
import { PrimitiveWriter } from '../../../src/protocol/primitives/primitive-writer.js';
import type { ProtocolVersion } from '../../../src/protocol/protocol-version.js';
import type { FixtureEnvelope } from '../../support/fixtures.js';
import { fixtureNames, loadFixture } from '../../support/fixtures.js';
import type { RecordedEnvelope } from './recorded-envelopes.js';
import { recordedEnvelopes } from './recorded-envelopes.js';
import { opcodeName, requestView, responseView } from './recorded-view.js';

/** Envelope fields that belong to the header/framing layers, or to the cell decoder (rows). */
const NOT_BODY_FIELDS = new Set([
  'opcode',
  'stream',
  'version',
  'version_byte',
  'flags',
  'body_length_on_wire',
  'body_length_uncompressed',
  'framing',
  'segments',
  'rows',
  'first_rows',
  'last_rows',
  's2c_index',
]);

/** The recorded body fields of an envelope. */
function recordedFields(e: FixtureEnvelope): Record<string, unknown> {
  return Object.fromEntries(Object.entries(e).filter(([k]) => !NOT_BODY_FIELDS.has(k)));
}

/** Our decoding of a response envelope in the recording's vocabulary, plus the byte-exact re-encoding. */
function checkResponse(env: RecordedEnvelope, recorded: FixtureEnvelope, version: ProtocolVersion): void {
  expect(opcodeName(env.opcode)).toBe(recorded.opcode);
  expect(env.stream).toBe(recorded.stream);
  const r = new PrimitiveReader(env.body);
  const prefix = readResponsePrefix(r, env.flags);
  const msg = decodeResponseBody(env.opcode, env.body, version, r.offset);
  const view = responseView(msg, version);
  if (prefix.warnings !== undefined) view.warnings = prefix.warnings;
  expect(view).toEqual(recordedFields(recorded));
  // encoding what we decoded gives back the server's bytes: flags derived from fields match the server's
  const w = new PrimitiveWriter();
  expect(writeResponsePrefix(w, prefix)).toBe(env.flags & 0x0e);
  writeResponseBody(w, msg, version);
  expect(w.finish().toString('hex')).toBe(env.body.toString('hex'));
}

function checkRequest(env: RecordedEnvelope, recorded: FixtureEnvelope, version: ProtocolVersion): void {
  expect(opcodeName(env.opcode)).toBe(recorded.opcode);
  expect(env.stream).toBe(recorded.stream);
  const r = new PrimitiveReader(env.body);
  expect(readRequestPrefix(r, env.flags)).toEqual({});
  const msg = decodeRequestBody(env.opcode, env.body, version, r.offset);
  expect(requestView(msg, version)).toEqual(recordedFields(recorded));
  expect(encodeRequestBody(msg, version).toString('hex')).toBe(env.body.toString('hex'));
}

/** Recordings of the versions cqlwire speaks, plain and lz4 (v2 and v6 negotiation files are the envelope layer's). */
const RECORDINGS = fixtureNames().filter((name) => {
  const f = loadFixture(name);
  return f.protocol_version >= 3 && f.protocol_version <= 5;
});

describe('decoding the real Cassandra recordings', () => {
  it('covers the v4 and v5 full flows of both servers, plain and lz4', () => {
    for (const server of ['4.1.7', '5.0.2']) {
      for (const flow of ['v4-plain', 'v5-plain', 'v4-lz4', 'v5-lz4'])
        expect(RECORDINGS).toContain(`${server}-${flow}`);
    }
  });

  for (const name of RECORDINGS) {
    it(`${name}: every exchange and pushed event decodes to the recorded fields and re-encodes to the same bytes`, () => {
      const f = loadFixture(name);
      const version = f.protocol_version as ProtocolVersion;
      const c2s = recordedEnvelopes(f, 'c2s');
      const s2c = recordedEnvelopes(f, 's2c');
      expect(f.expect.exchanges.length).toBeGreaterThan(0);
      for (const ex of f.expect.exchanges) {
        checkRequest(c2s[ex.c2s_index]!, ex.request, version);
        checkResponse(s2c[ex.s2c_index]!, ex.response, version);
      }
      for (const pushed of f.expect.pushed ?? []) checkResponse(s2c[pushed.s2c_index!]!, pushed, version);
      // every envelope of the connection was covered by an exchange or a push
      const covered = f.expect.exchanges.length + (f.expect.pushed?.length ?? 0);
      expect(s2c.length).toBe(covered);
      expect(c2s.length).toBe(f.expect.exchanges.length);
    });
  }
});
