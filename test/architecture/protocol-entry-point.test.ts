import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as compression from '../../src/protocol/compression/index.js';
import * as envelope from '../../src/protocol/envelope/index.js';
import * as errors from '../../src/protocol/errors/index.js';
import * as framing from '../../src/protocol/framing/index.js';
import * as protocol from '../../src/protocol/index.js';
import * as messages from '../../src/protocol/messages/index.js';
import * as primitives from '../../src/protocol/primitives/index.js';
import * as rows from '../../src/protocol/rows/index.js';
import * as segment from '../../src/protocol/segment/index.js';
import * as token from '../../src/protocol/token/index.js';
import * as types from '../../src/protocol/types/index.js';

/** What the folders export for the rest of src/ but `cqlwire/protocol` does not publish. */
const NOT_PUBLISHED = ['murmur3TokenHalves', 'setLz4Loader', 'tokenHalves'];

describe('the cqlwire/protocol entry point', () => {
  it('lists its exports by name (no export *)', () => {
    const text = readFileSync(new URL('../../src/protocol/index.ts', import.meta.url), 'utf8');
    expect(text.match(/export \*/g)).toBeNull();
  });

  it('publishes every value its folders export, except the internal ones (mutable scratch, test hooks)', () => {
    const folders = [compression, envelope, errors, framing, messages, primitives, rows, segment, token, types];
    const offered = new Set(folders.flatMap((m) => Object.keys(m)));
    const published = Object.keys(protocol);
    expect([...offered].filter((name) => !published.includes(name)).sort()).toEqual(NOT_PUBLISHED);
    expect(published.filter((name) => NOT_PUBLISHED.includes(name))).toEqual([]);
  });
});
