import { describe, expect, it } from 'vitest';
import type { MetadataSource, TopologyListener } from '../../../src/cluster/index.js';
import { ClusterMetadata, TokenRing } from '../../../src/cluster/index.js';
import { ErrorCode, InvalidRequestError, ServerError } from '../../../src/protocol/errors/index.js';
import type { Row } from '../../../src/protocol/rows/index.js';

type Cells = Readonly<Record<string, unknown>>;

/**
 * A fake control connection answering system_schema queries from in-memory rows, counting the
 * queries it gets; `failing` makes the named table's query reject.
 */
class FakeSchema implements MetadataSource {
  readonly tokenRing = new TokenRing([]);
  controlGeneration = 1;
  queries: string[] = [];
  listener: TopologyListener | undefined;
  failing = new Map<string, Error>();
  tables: Cells[] = [{ keyspace_name: 'ks', table_name: 't' }];
  columns: Cells[] = [
    { keyspace_name: 'ks', table_name: 't', column_name: 'k', kind: 'partition_key', position: 0, type: 'int' },
  ];

  queryControl(query: string, values?: readonly string[]): Promise<Row[]> {
    this.queries.push(query);
    const table = /system_schema\.(\w+)/.exec(query)?.[1] ?? '';
    const failure = this.failing.get(table);
    if (failure !== undefined) return Promise.reject(failure);
    const all: Cells[] =
      table === 'keyspaces'
        ? [
            {
              keyspace_name: 'ks',
              durable_writes: true,
              replication: new Map([
                ['class', 'SimpleStrategy'],
                ['replication_factor', '1'],
              ]),
            },
          ]
        : table === 'tables'
          ? this.tables
          : table === 'columns'
            ? this.columns
            : [];
    const rows = all.filter((r) => values === undefined || r.keyspace_name === values[0]);
    return Promise.resolve(rows.map((r) => ({ toObject: () => r }) as unknown as Row));
  }

  replicationOf(): { kind: 'other' } {
    return { kind: 'other' };
  }

  addListener(listener: TopologyListener): void {
    this.listener = listener;
  }

  schemaQueries(): number {
    return this.queries.filter((q) => q.includes('system_schema.keyspaces')).length;
  }
}

describe('ClusterMetadata cache', () => {
  it('reads a keyspace once (7 system_schema queries, bound keyspace name) and serves it from the cache', async () => {
    const fake = new FakeSchema();
    const m = new ClusterMetadata(fake);
    expect((await m.table('ks', 't'))?.columns.map((c) => c.name)).toEqual(['k']);
    expect((await m.keyspace('ks'))?.name).toBe('ks');
    expect(fake.queries.sort()).toEqual(
      ['columns', 'dropped_columns', 'indexes', 'keyspaces', 'tables', 'types', 'views'].map(
        (t) => `SELECT * FROM system_schema.${t} WHERE keyspace_name = ?`,
      ),
    );
  });

  it('forgets a keyspace when a schema change event names it, not when it names another', async () => {
    const fake = new FakeSchema();
    const m = new ClusterMetadata(fake);
    await m.keyspace('ks');
    fake.listener?.schemaChanged?.({ change: 'CREATED', target: 'TABLE', keyspace: 'other', name: 'x' });
    await m.keyspace('ks');
    expect(fake.schemaQueries()).toBe(1);
    fake.columns.push({
      keyspace_name: 'ks',
      table_name: 't',
      column_name: 'v',
      kind: 'regular',
      position: -1,
      type: 'text',
    });
    expect((await m.table('ks', 't'))?.columns.length).toBe(1);
    fake.listener?.schemaChanged?.({ change: 'UPDATED', target: 'TABLE', keyspace: 'ks', name: 't' });
    expect((await m.table('ks', 't'))?.columns.map((c) => c.name)).toEqual(['k', 'v']);
    expect(fake.schemaQueries()).toBe(2);
  });

  it('reads everything again once another control connection took over', async () => {
    const fake = new FakeSchema();
    const m = new ClusterMetadata(fake);
    await m.keyspaces();
    await m.keyspaces();
    expect(fake.schemaQueries()).toBe(1);
    fake.controlGeneration = 2;
    await m.keyspaces();
    expect(fake.schemaQueries()).toBe(2);
  });

  it('looks a missing table up once more on the server before reporting it missing', async () => {
    const fake = new FakeSchema();
    const m = new ClusterMetadata(fake);
    await m.keyspace('ks');
    fake.tables.push({ keyspace_name: 'ks', table_name: 'fresh' });
    fake.columns.push({
      keyspace_name: 'ks',
      table_name: 'fresh',
      column_name: 'id',
      kind: 'partition_key',
      position: 0,
      type: 'uuid',
    });
    expect((await m.table('ks', 'fresh'))?.partitionKey.map((c) => c.cqlType)).toEqual(['uuid']);
    expect(await m.table('ks', 'never')).toBeUndefined();
    expect(fake.schemaQueries()).toBe(3);
  });

  it('reads a missing optional table (types, views, indexes, dropped_columns) as empty; other failures reject and are not cached', async () => {
    const fake = new FakeSchema();
    const m = new ClusterMetadata(fake);
    fake.failing.set('views', new InvalidRequestError(ErrorCode.INVALID, 'unconfigured table views'));
    expect((await m.table('ks', 't'))?.name).toBe('t');
    const fake2 = new FakeSchema();
    const m2 = new ClusterMetadata(fake2);
    const down = new ServerError(ErrorCode.SERVER_ERROR, 'boom');
    fake2.failing.set('columns', down);
    await expect(m2.keyspace('ks')).rejects.toBe(down);
    await expect(m2.keyspaces()).rejects.toBe(down);
    fake2.failing.clear();
    expect((await m2.keyspace('ks'))?.table('t')?.columns.length).toBe(1);
  });

  it('gives [] for size estimates when the server answers with an error or nothing', async () => {
    const fake = new FakeSchema();
    const m = new ClusterMetadata(fake);
    expect(await m.sizeEstimates('ks', 't')).toEqual([]);
    expect(fake.queries.map((q) => /FROM (system\.\w+)/.exec(q)?.[1])).toEqual([
      'system.table_estimates',
      'system.size_estimates',
    ]);
  });
});
