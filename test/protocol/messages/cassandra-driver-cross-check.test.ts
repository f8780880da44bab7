import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Consistency } from '../../../src/protocol/consistency.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import type { BoundValue } from '../../../src/protocol/messages/query-parameters.js';
import { encodeRequestBody } from '../../../src/protocol/messages/request-codec.js';
import type { RequestMessage } from '../../../src/protocol/messages/request-message.js';
import { BatchType } from '../../../src/protocol/messages/request-message.js';
import { UNSET } from '../../../src/protocol/primitives/unset.js';

/**
 * The independent cross-check: the npm cassandra-driver (a devDependency) encodes the same v4
 * requests through its own request classes and PrimitiveWriter; the bodies must match ours byte for
 * byte. Its execution options object is replaced by a stub answering only what its writers ask.
 */
const require = createRequire(import.meta.url);

interface DriverRequest {
  write(encoder: unknown, streamId: number): Buffer;
}
interface DriverLong {
  fromString(s: string): unknown;
}
const requests = require('cassandra-driver/lib/requests.js') as {
  QueryRequest: new (query: string, params: unknown[] | null, options: unknown, named: boolean) => DriverRequest;
  ExecuteRequest: new (query: string, id: Buffer, params: unknown[], options: unknown, meta: unknown) => DriverRequest;
  PrepareRequest: new (query: string, keyspace?: string) => DriverRequest;
  BatchRequest: new (queries: unknown[], options: unknown) => DriverRequest;
};
const Encoder = require('cassandra-driver/lib/encoder.js') as new (version: number, options: object) => unknown;
const driverTypes = require('cassandra-driver/lib/types/index.js') as { unset: unknown; Long: DriverLong };

const encoder = new Encoder(4, {});

interface StubOptions {
  consistency: number;
  fetchSize?: number;
  pageState?: Buffer;
  serial?: number;
  timestamp?: bigint;
  logged?: boolean;
  counter?: boolean;
}

/** What the driver's writers read from an ExecutionOptions. */
function stub(o: StubOptions): object {
  return {
    getOrGenerateTimestamp: () =>
      o.timestamp === undefined ? null : driverTypes.Long.fromString(o.timestamp.toString()),
    getConsistency: () => o.consistency,
    isQueryTracing: () => false,
    getCustomPayload: () => undefined,
    getFetchSize: () => o.fetchSize ?? 0,
    getPageState: () => o.pageState,
    getSerialConsistency: () => o.serial,
    getKeyspace: () => undefined,
    getHints: () => undefined,
    isBatchCounter: () => o.counter === true,
    isBatchLogged: () => o.logged !== false,
  };
}

/** The driver's values: Buffers pass through its encoder as blobs; UNSET is its own marker. */
function driverValues(values: readonly BoundValue[]): unknown[] {
  return values.map((v) => (v === UNSET ? driverTypes.unset : v));
}

/** The driver's body: its envelope minus the 9-byte header. */
function driverBody(req: DriverRequest): string {
  return req.write(encoder, 0).subarray(9).toString('hex');
}

function ours(msg: RequestMessage): string {
  return encodeRequestBody(msg, 4).toString('hex');
}

const values: BoundValue[] = [Buffer.from('0000002a', 'hex'), null, UNSET, Buffer.alloc(0), Buffer.from('héllo')];

describe('v4 request bodies equal the cassandra-driver package’s bytes', () => {
  it('QUERY with values, page size, paging state, serial consistency and timestamp', () => {
    const o = {
      consistency: Consistency.LOCAL_QUORUM,
      fetchSize: 5000,
      pageState: Buffer.from('0004deadbeef', 'hex'),
      serial: Consistency.LOCAL_SERIAL,
      timestamp: 1_700_000_000_000_000n,
    };
    const query = 'INSERT INTO ks.t (a, b, c, d, e) VALUES (?, ?, ?, ?, ?)';
    const expected = driverBody(new requests.QueryRequest(query, driverValues(values), stub(o), false));
    expect(
      ours({
        opcode: Opcode.QUERY,
        query,
        params: {
          consistency: o.consistency,
          values,
          pageSize: o.fetchSize,
          pagingState: o.pageState,
          serialConsistency: o.serial,
          timestamp: o.timestamp,
        },
      }),
    ).toBe(expected);
  });

  it('QUERY without any option', () => {
    const expected = driverBody(
      new requests.QueryRequest('SELECT now() FROM system.local', null, stub({ consistency: Consistency.ONE }), false),
    );
    expect(
      ours({ opcode: Opcode.QUERY, query: 'SELECT now() FROM system.local', params: { consistency: Consistency.ONE } }),
    ).toBe(expected);
  });

  it('QUERY with a negative timestamp and only a page size', () => {
    const o = { consistency: Consistency.QUORUM, fetchSize: 1, timestamp: -5n };
    const expected = driverBody(new requests.QueryRequest('SELECT 1', null, stub(o), false));
    expect(
      ours({
        opcode: Opcode.QUERY,
        query: 'SELECT 1',
        params: { consistency: o.consistency, pageSize: 1, timestamp: -5n },
      }),
    ).toBe(expected);
  });

  it('PREPARE', () => {
    const query = 'SELECT * FROM ks.t WHERE k = ? AND c > ?';
    expect(ours({ opcode: Opcode.PREPARE, query })).toBe(driverBody(new requests.PrepareRequest(query)));
  });

  it('EXECUTE with values, page size, paging state and timestamp', () => {
    const id = Buffer.from('446cb633d6f665017bddc6b0e5954ea1', 'hex');
    const o = {
      consistency: Consistency.TWO,
      fetchSize: 100,
      pageState: Buffer.from('0006000400000063f07fffff9bf07fffff9b', 'hex'),
      timestamp: 99n,
    };
    const meta = { columns: values.map(() => ({ type: null })) };
    const expected = driverBody(new requests.ExecuteRequest('SELECT ...', id, driverValues(values), stub(o), meta));
    expect(
      ours({
        opcode: Opcode.EXECUTE,
        id,
        params: {
          consistency: o.consistency,
          values,
          pageSize: o.fetchSize,
          pagingState: o.pageState,
          timestamp: o.timestamp,
        },
      }),
    ).toBe(expected);
  });

  it('BATCH of CQL text and prepared statements, with serial consistency and timestamp', () => {
    const id = Buffer.from('0abd4775802f1b4bced49a772c525e80', 'hex');
    const o = { consistency: Consistency.ONE, serial: Consistency.SERIAL, timestamp: 123456789n, logged: false };
    const expected = driverBody(
      new requests.BatchRequest(
        [
          { query: "INSERT INTO kv (k, v) VALUES (10, 'batch-10')", params: [] },
          {
            query: 'INSERT INTO kv (k, v) VALUES (?, ?)',
            params: driverValues([Buffer.from('0000000b', 'hex'), Buffer.from('batch-11')]),
          },
          {
            queryId: id,
            params: driverValues([Buffer.from('0000000c', 'hex'), null]),
            meta: { columns: [{ type: null }, { type: null }] },
          },
        ],
        stub(o),
      ),
    );
    expect(
      ours({
        opcode: Opcode.BATCH,
        type: BatchType.UNLOGGED,
        consistency: o.consistency,
        serialConsistency: o.serial,
        timestamp: o.timestamp,
        statements: [
          { query: "INSERT INTO kv (k, v) VALUES (10, 'batch-10')", values: [] },
          {
            query: 'INSERT INTO kv (k, v) VALUES (?, ?)',
            values: [Buffer.from('0000000b', 'hex'), Buffer.from('batch-11')],
          },
          { id, values: [Buffer.from('0000000c', 'hex'), null] },
        ],
      }),
    ).toBe(expected);
  });

  it('LOGGED BATCH without flags', () => {
    const id = Buffer.alloc(16, 3);
    const expected = driverBody(
      new requests.BatchRequest(
        [{ queryId: id, params: driverValues([UNSET]), meta: { columns: [{ type: null }] } }],
        stub({ consistency: Consistency.EACH_QUORUM }),
      ),
    );
    expect(
      ours({
        opcode: Opcode.BATCH,
        type: BatchType.LOGGED,
        consistency: Consistency.EACH_QUORUM,
        statements: [{ id, values: [UNSET] }],
      }),
    ).toBe(expected);
  });
});
