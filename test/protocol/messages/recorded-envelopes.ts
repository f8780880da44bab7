import { FrameDecoder } from '../../../src/protocol/framing/frame-decoder.js';
import type { Fixture } from '../../support/fixtures.js';
import { directionBytes } from '../../support/fixtures.js';

/** One envelope of a recording: its header fields and its (uncompressed) body. */
export interface RecordedEnvelope {
  version: number;
  flags: number;
  stream: number;
  opcode: number;
  body: Buffer;
}

/**
 * Every envelope one direction of a recording carried, through the framing layer's decoder: bare
 * envelopes up to the recorded unframed prefix, then v5 segments (CRC or lz4) when the recording
 * switched to them; v4 lz4 bodies are decompressed.
 */
export function recordedEnvelopes(f: Fixture, dir: 'c2s' | 's2c'): RecordedEnvelope[] {
  const bytes = directionBytes(f, dir);
  const framing = f.expect.framing;
  const framed = framing?.v5_framing === true;
  const unframedEnd = framed
    ? ((dir === 'c2s' ? framing.c2s_unframed_bytes : framing.s2c_unframed_bytes) ?? 0)
    : bytes.length;
  const decoder = new FrameDecoder({ expectResponses: dir === 's2c' });
  if (f.compression === 'lz4' && !framed) decoder.setCompression('lz4');
  const out: RecordedEnvelope[] = [];
  const drain = (): void => {
    for (let e = decoder.next(); e !== undefined; e = decoder.next()) {
      out.push({ version: e.version, flags: e.flags, stream: e.stream, opcode: e.opcode, body: e.body });
    }
  };
  decoder.push(bytes.subarray(0, unframedEnd));
  drain();
  if (framed) {
    decoder.switchToSegments({ compression: f.compression === 'lz4' ? 'lz4' : 'none' });
    decoder.push(bytes.subarray(unframedEnd));
    drain();
  }
  if (decoder.pendingBytes !== 0) throw new Error(`${f.fixture} ${dir}: ${decoder.pendingBytes} bytes left over`);
  return out;
}
