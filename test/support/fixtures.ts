import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's copy of the real-Cassandra recordings (test/fixtures/real-cassandra). */
export const FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/real-cassandra');

/** The schema, size-estimate and token-range-scan recordings (test/fixtures/real-cassandra-scan). */
export const SCAN_FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/real-cassandra-scan');

/** One recorded chunk, as the recording proxy saw it. */
export interface FixtureChunk {
  dir: 'c2s' | 's2c';
  hex: string;
}

/** A recorded connection (test/fixtures/README.md describes every field). */
export interface Fixture {
  fixture: string;
  scenario: string;
  protocol_version: number;
  compression: 'none' | 'lz4';
  chunks: FixtureChunk[];
  expect: {
    framing?: { v5_framing?: boolean; c2s_unframed_bytes?: number; s2c_unframed_bytes?: number };
    exchanges: FixtureExchange[];
    pushed?: FixtureEnvelope[];
    segments?: { c2s: FixtureSegment[]; s2c: FixtureSegment[] };
  };
}

/** A request and its response, paired by stream id. */
export interface FixtureExchange {
  n: number;
  c2s_index: number;
  s2c_index: number;
  request: FixtureEnvelope;
  response: FixtureEnvelope;
  text: string;
}

/** An envelope as the recording's independent decoder described it. */
export interface FixtureEnvelope {
  opcode: string;
  stream: number;
  version: number;
  version_byte: string;
  flags: string;
  body_length_on_wire: number;
  body_length_uncompressed?: number;
  framing?: 'unframed' | 'segment' | 'multi-segment';
  s2c_index?: number;
  [field: string]: unknown;
}

/** A v5 segment as the recording's independent decoder described it. */
export interface FixtureSegment {
  i: number;
  offset: number;
  header_length: number;
  payload_length: number;
  uncompressed_length?: number;
  self_contained: boolean;
  envelopes: number[];
}

/** Names of every recording file (without the index). */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

const cache = new Map<string, Fixture>();

/** Loads one recording by name, e.g. `5.0.2-v5-lz4`; `dir` picks the scan recordings instead. */
export function loadFixture(name: string, dir: string = FIXTURE_DIR): Fixture {
  const key = join(dir, name);
  let f = cache.get(key);
  if (!f) {
    f = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Fixture;
    cache.set(key, f);
  }
  return f;
}

/** The chunks of one direction, as Buffers, in order. */
export function directionChunks(f: Fixture, dir: 'c2s' | 's2c'): Buffer[] {
  return f.chunks.filter((c) => c.dir === dir).map((c) => Buffer.from(c.hex, 'hex'));
}

/** Every byte one direction carried, concatenated. */
export function directionBytes(f: Fixture, dir: 'c2s' | 's2c'): Buffer {
  return Buffer.concat(directionChunks(f, dir));
}

/** The every-type table of index.json: columns with their CQL type, expected string and value bytes. */
export interface TypesTable {
  keyspace: string;
  columns: {
    column: string;
    cql_type: string;
    insert_literal?: string;
    expected: string;
    wire?: string;
    value_hex?: string;
  }[];
  [field: string]: unknown;
}

/** Loads `index.json` -> `types`. */
export function loadTypesTable(): TypesTable {
  const index = JSON.parse(readFileSync(join(FIXTURE_DIR, 'index.json'), 'utf8')) as { types: TypesTable };
  return index.types;
}
