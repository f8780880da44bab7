import { directionBytes } from '../../support/fixtures.js';
import type { Fixture } from '../../support/fixtures.js';

/** One envelope of a recording: its header fields and its (uncompressed) body. */
export interface RecordedEnvelope {
  version: number;
  flags: number;
  stream: number;
  opcode: number;
  body: Buffer;
}

/**
 * Test-only extractor for the *plain* recordings (no compression): the bare envelopes of the
 * unframed prefix, then v5 uncompressed segments (6-byte header with CRC24, payload, 4-byte CRC32;
 * the CRCs are the framing layer's business and are not checked here), joining the slices of
 * non-self-contained segments into one envelope. Only v3-v5 (9-byte headers) are handled.
 */
export function recordedEnvelopes(f: Fixture, dir: 'c2s' | 's2c'): RecordedEnvelope[] {
  if (f.compression !== 'none') throw new Error(`${f.fixture}: only plain recordings are handled`);
  const bytes = directionBytes(f, dir);
  const framing = f.expect.framing;
  const unframedEnd = framing?.v5_framing === true ? (dir === 'c2s' ? framing.c2s_unframed_bytes : framing.s2c_unframed_bytes) ?? 0 : bytes.length;
  const out: RecordedEnvelope[] = [];
  splitEnvelopes(bytes.subarray(0, unframedEnd), out);
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let at = unframedEnd;
  while (at < bytes.length) {
    const h = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);
    const length = h & 0x1ffff;
    const selfContained = (h & 0x20000) !== 0;
    const payload = bytes.subarray(at + 6, at + 6 + length);
    at += 6 + length + 4;
    if (selfContained) {
      splitEnvelopes(payload, out);
      continue;
    }
    pending.push(payload);
    pendingLength += payload.length;
    const first = pending[0]!;
    if (pendingLength >= 9 && pendingLength === 9 + first.readUInt32BE(5)) {
      splitEnvelopes(Buffer.concat(pending), out);
      pending = [];
      pendingLength = 0;
    }
  }
  if (pending.length > 0) throw new Error(`${f.fixture} ${dir}: unfinished multi-segment envelope`);
  return out;
}

function splitEnvelopes(buf: Buffer, out: RecordedEnvelope[]): void {
  let at = 0;
  while (at < buf.length) {
    const length = buf.readUInt32BE(at + 5);
    out.push({
      version: buf[at]! & 0x7f,
      flags: buf[at + 1]!,
      stream: buf.readInt16BE(at + 2),
      opcode: buf[at + 4]!,
      body: buf.subarray(at + 9, at + 9 + length),
    });
    at += 9 + length;
  }
  if (at !== buf.length) throw new Error('envelope overruns its payload');
}
