import type { Compression } from '../../../src/protocol/compression/index.js';
import type { Envelope } from '../../../src/protocol/envelope/index.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import { FrameDecoder } from '../../../src/protocol/framing/index.js';
import type { ColumnSpec } from '../../../src/protocol/messages/index.js';
import { directionBytes, fixtureNames, loadFixture } from '../../support/fixtures.js';
import { decodeRequestFully, decodeResponseFully } from './decode-all.js';

/** One direction of one real-Cassandra recording, split where v5 framing starts. */
export interface RecordedStream {
  /** e.g. `5.0.2-v5-lz4 s2c`. */
  label: string;
  expectResponses: boolean;
  /** Bare envelopes (the whole stream when the recording never switched to v5 framing). */
  unframed: Buffer;
  /** v5 segments after the switch, or undefined. */
  framed: Buffer | undefined;
  compression: Compression;
}

let cached: RecordedStream[] | undefined;

/** Both directions of every recording, as the real servers and the Python driver sent them. */
export function recordedStreams(): RecordedStream[] {
  if (cached !== undefined) return cached;
  const out: RecordedStream[] = [];
  for (const name of fixtureNames()) {
    const f = loadFixture(name);
    for (const dir of ['s2c', 'c2s'] as const) {
      const bytes = directionBytes(f, dir);
      const framing = f.expect.framing;
      const framed = framing?.v5_framing === true;
      const end = framed
        ? ((dir === 'c2s' ? framing.c2s_unframed_bytes : framing.s2c_unframed_bytes) ?? 0)
        : bytes.length;
      out.push({
        label: `${name} ${dir}`,
        expectResponses: dir === 's2c',
        unframed: bytes.subarray(0, end),
        framed: framed ? bytes.subarray(end) : undefined,
        compression: f.compression === 'lz4' ? 'lz4' : 'none',
      });
    }
  }
  cached = out;
  return out;
}

/**
 * Runs a (possibly corrupted) stream through a `FrameDecoder` chunk by chunk, as a connection
 * would, and decodes every envelope it yields down to every Rows cell. NO_METADATA pages are read
 * with the result columns of the last PREPARED seen. Returns the number of envelopes; malformed
 * input throws (a `ProtocolError` is the only acceptable kind).
 */
export function decodeRecordedStream(
  stream: RecordedStream,
  unframedChunks: readonly Buffer[],
  framedChunks: readonly Buffer[],
  maxEnvelopeSize: number,
): number {
  const decoder = new FrameDecoder({ expectResponses: stream.expectResponses, maxEnvelopeSize });
  // v3/v4 lz4: the recording's envelopes after STARTUP carry flag 0x01; earlier ones do not.
  if (stream.compression === 'lz4' && stream.framed === undefined) decoder.setCompression('lz4');
  let envelopes = 0;
  let fallback: readonly ColumnSpec[] | undefined;
  const handle = (e: Envelope): void => {
    envelopes++;
    if (!stream.expectResponses) {
      decodeRequestFully(e);
      return;
    }
    const message = decodeResponseFully(e, fallback);
    if (
      message.opcode === Opcode.RESULT &&
      message.kind === 'prepared' &&
      message.resultMetadata.columns !== undefined
    ) {
      fallback = message.resultMetadata.columns;
    }
  };
  for (const chunk of unframedChunks) {
    decoder.push(chunk);
    for (let e = decoder.next(); e !== undefined; e = decoder.next()) handle(e);
  }
  if (stream.framed !== undefined) {
    decoder.switchToSegments({ compression: stream.compression });
    for (const chunk of framedChunks) {
      decoder.push(chunk);
      for (let e = decoder.next(); e !== undefined; e = decoder.next()) handle(e);
    }
  }
  return envelopes;
}
