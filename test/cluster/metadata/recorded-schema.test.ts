import { describe, expect, it } from 'vitest';
import type { KeyspaceMetadata, SchemaRows, TableMetadata } from '../../../src/cluster/metadata/index.js';
import { buildKeyspaces } from '../../../src/cluster/metadata/index.js';
import { OutOfRangeDate, toCqlTypeString } from '../../../src/protocol/types/index.js';
import { recordedRowsByQuery } from './recorded-rows.js';

/**
 * The metadata parser against what Cassandra 5.0.2 really answered to every system_schema query
 * (test/fixtures/real-cassandra-scan/5.0.2-schema-v5): the rows are decoded by our codec, then
 * built into KeyspaceMetadata / TableMetadata.
 */
const recorded = recordedRowsByQuery('5.0.2-schema-v5');

function schemaRows(where = ''): SchemaRows {
  const rows = (table: string) => {
    const found = recorded.get(`SELECT * FROM system_schema.${table}${where}`);
    if (found === undefined) throw new Error(`no recorded answer for system_schema.${table}${where}`);
    return found.map((r) => r.toObject());
  };
  return {
    keyspaces: rows('keyspaces'),
    tables: rows('tables'),
    columns: rows('columns'),
    types: rows('types'),
    views: rows('views'),
    indexes: rows('indexes'),
    droppedColumns: rows('dropped_columns'),
  };
}

const all = buildKeyspaces(schemaRows());
const keyspace = (name: string): KeyspaceMetadata => {
  const k = all.find((x) => x.name === name);
  if (k === undefined) throw new Error(`no keyspace ${name}`);
  return k;
};
const table = (ks: string, name: string): TableMetadata => {
  const t = keyspace(ks).table(name);
  if (t === undefined) throw new Error(`no table ${ks}.${name}`);
  return t;
};
const describeColumns = (t: TableMetadata) =>
  t.columns.map((c) => `${c.name} ${c.kind} ${c.position} ${c.clusteringOrder} ${toCqlTypeString(c.type)}`);

describe('schema metadata from the recorded system_schema answers of Cassandra 5.0.2', () => {
  it('lists every keyspace, sorted by name, with its table and view counts', () => {
    expect(all.map((k) => [k.name, k.tables().length, k.views().length])).toEqual([
      ['cw_conformance', 1, 0],
      ['cw_streaming', 1, 0],
      ['fx_nts', 1, 0],
      ['fx_simple', 3, 1],
      ['ks', 7, 0],
      ['system', 23, 0],
      ['system_auth', 8, 0],
      ['system_distributed', 4, 0],
      ['system_schema', 11, 0],
      ['system_traces', 2, 0],
    ]);
  });

  it('reads SimpleStrategy, NetworkTopologyStrategy and LocalStrategy replication', () => {
    const simple = keyspace('fx_simple');
    expect(simple.durableWrites).toBe(true);
    expect(simple.replication.class).toBe('org.apache.cassandra.locator.SimpleStrategy');
    expect(simple.replication.options).toEqual({ replication_factor: '1' });
    expect(simple.replication.strategy).toEqual({ kind: 'simple', replicationFactor: 1 });
    expect(keyspace('system_distributed').replication.strategy).toEqual({ kind: 'simple', replicationFactor: 3 });

    const nts = keyspace('fx_nts').replication;
    expect(nts.class).toBe('org.apache.cassandra.locator.NetworkTopologyStrategy');
    expect(nts.options).toEqual({ datacenter1: '1' });
    expect(nts.strategy.kind).toBe('network');
    expect(nts.strategy.kind === 'network' ? [...nts.strategy.dataCenters] : []).toEqual([['datacenter1', 1]]);

    expect(keyspace('system').replication).toEqual({
      class: 'org.apache.cassandra.locator.LocalStrategy',
      options: {},
      strategy: { kind: 'other' },
    });
  });

  it('builds a composite partition key with mixed clustering order and a frozen UDT column', () => {
    const events = table('fx_simple', 'events');
    expect(describeColumns(events)).toEqual([
      'tenant partition_key 0 none text',
      'day partition_key 1 none date',
      'bucket partition_key 2 none int',
      'ts clustering 0 desc timestamp',
      'seq clustering 1 asc int',
      'addr regular -1 none frozen<address>',
      'payload regular -1 none text',
      'tags regular -1 none set<text>',
    ]);
    expect(events.partitionKey.map((c) => c.name)).toEqual(['tenant', 'day', 'bucket']);
    expect(events.clusteringKey.map((c) => [c.name, c.clusteringOrder])).toEqual([
      ['ts', 'desc'],
      ['seq', 'asc'],
    ]);
    expect(events.column('addr')?.type).toEqual({
      kind: 'udt',
      keyspace: 'fx_simple',
      name: 'address',
      fields: [
        { name: 'street', type: { kind: 'text' } },
        { name: 'zip', type: { kind: 'int' } },
      ],
      frozen: true,
    });
    expect(events.column('addr')?.cqlType).toBe('frozen<address>');
    expect(
      keyspace('fx_simple')
        .userTypes()
        .map((u) => u.name),
    ).toEqual(['address']);
    expect(events.isView).toBe(false);
    expect(events.id).toBe('91550450-eff5-11f1-b5fa-4f9ec7b83aad');
  });

  it('reads the secondary index and the table options', () => {
    const events = table('fx_simple', 'events');
    expect(events.indexes).toEqual([
      { name: 'events_payload_idx', kind: 'COMPOSITES', target: 'payload', options: { target: 'payload' } },
    ]);
    expect(events.options).toEqual({
      comment: '',
      defaultTimeToLive: 0,
      gcGraceSeconds: 864000,
      bloomFilterFpChance: 0.01,
      crcCheckChance: 1,
      speculativeRetry: '99p',
      readRepair: 'BLOCKING',
      memtableFlushPeriodInMs: 0,
      caching: { keys: 'ALL', rows_per_partition: 'NONE' },
      compaction: {
        class: 'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy',
        max_threshold: '32',
        min_threshold: '4',
      },
      compression: { chunk_length_in_kb: '16', class: 'org.apache.cassandra.io.compress.LZ4Compressor' },
      flags: ['compound'],
      cdc: false,
    });
  });

  it('orders a static column before the regular ones and keeps the dropped column with its time', () => {
    const statics = table('fx_simple', 'statics');
    expect(describeColumns(statics)).toEqual([
      'pk partition_key 0 none int',
      'ck clustering 0 asc int',
      's static -1 none text',
      'v regular -1 none text',
    ]);
    expect(statics.droppedColumns).toEqual([
      { name: 'dropped_col', cqlType: 'int', kind: 'regular', droppedTime: new Date('2026-12-04T15:15:41.578Z') },
    ]);
  });

  it('reads the materialized view with its base table, where clause and key', () => {
    const view = table('fx_simple', 'kv_by_v');
    expect(keyspace('fx_simple').views()).toEqual([view]);
    expect(
      keyspace('fx_simple')
        .tables()
        .map((t) => t.name),
    ).toEqual(['events', 'kv', 'statics']);
    expect(view.isView).toBe(true);
    expect(view.baseTable).toBe('kv');
    expect(view.whereClause).toBe('v IS NOT NULL AND k IS NOT NULL');
    expect(describeColumns(view)).toEqual(['v partition_key 0 none text', 'k clustering 0 asc int']);
    expect(view.options.flags).toEqual([]);
  });

  it('parses vector and map columns', () => {
    expect(describeColumns(table('fx_nts', 'vec'))).toEqual([
      'id partition_key 0 none uuid',
      'm regular -1 none map<text, int>',
      'v regular -1 none vector<float, 3>',
    ]);
    expect(table('fx_nts', 'vec').column('v')?.type).toEqual({
      kind: 'vector',
      element: { kind: 'float' },
      dimension: 3,
    });
  });

  it('parses the type of every column of every keyspace (no fallback to a custom type)', () => {
    let columns = 0;
    for (const k of all)
      for (const t of [...k.tables(), ...k.views()])
        for (const c of t.columns) {
          columns++;
          expect(c.type.kind, `${k.name}.${t.name}.${c.name} ${c.cqlType}`).not.toBe('custom');
          expect(toCqlTypeString(c.type), `${k.name}.${t.name}.${c.name}`).toBe(c.cqlType);
        }
    expect(columns).toBe(recorded.get('SELECT * FROM system_schema.columns')!.length);
  });

  it("decodes system.local's dropped_time beyond a Date's range without throwing, exact to the millisecond", () => {
    const [dropped] = table('system', 'local').droppedColumns;
    expect(dropped?.name).toBe('thrift_version');
    expect(dropped?.cqlType).toBe('text');
    const time = dropped?.droppedTime;
    expect(time).toBeInstanceOf(OutOfRangeDate);
    expect((time as OutOfRangeDate).milliseconds).toBe(9223372036854775n);
    expect(time?.toISOString()).toBe('+294247-01-10T04:00:54.775Z');
    expect(JSON.stringify({ time })).toBe('{"time":"+294247-01-10T04:00:54.775Z"}');
  });

  it('gives the same metadata from the per-keyspace answers (WHERE keyspace_name = ...)', () => {
    const [one] = buildKeyspaces(schemaRows(" WHERE keyspace_name = 'fx_simple'"));
    const full = keyspace('fx_simple');
    expect(one?.name).toBe('fx_simple');
    expect(one?.replication).toEqual(full.replication);
    expect(
      [...(one?.tables() ?? []), ...(one?.views() ?? [])].map((t) => [t.name, describeColumns(t), t.indexes]),
    ).toEqual([...full.tables(), ...full.views()].map((t) => [t.name, describeColumns(t), t.indexes]));
    expect(one?.table('statics')?.droppedColumns).toEqual(full.table('statics')?.droppedColumns);
  });
});
