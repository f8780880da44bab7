import type { DataType } from '../../protocol/types/index.js';
import { parseCqlTypeString, toCqlTypeString, Uuid } from '../../protocol/types/index.js';
import type { Schema } from '../schema/index.js';
import type { VirtualTableDefinition } from './virtual-table.js';

const t = (text: string): DataType => parseCqlTypeString(text);

/** Cassandra 4.x defaults for the table options drivers read from system_schema.tables. */
function tableOptionRow(ks: string, name: string, id: string, comment: string): Record<string, unknown> {
  return {
    keyspace_name: ks,
    table_name: name,
    id: Uuid.fromString(id),
    additional_write_policy: '99p',
    bloom_filter_fp_chance: 0.01,
    caching: new Map([
      ['keys', 'ALL'],
      ['rows_per_partition', 'NONE'],
    ]),
    cdc: null,
    comment,
    compaction: new Map([
      ['class', 'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy'],
      ['max_threshold', '32'],
      ['min_threshold', '4'],
    ]),
    compression: new Map([
      ['chunk_length_in_kb', '16'],
      ['class', 'org.apache.cassandra.io.compress.LZ4Compressor'],
    ]),
    crc_check_chance: 1.0,
    dclocal_read_repair_chance: 0.0,
    default_time_to_live: 0,
    extensions: new Map(),
    // 'compound' marks a CQL (non-compact) table; both DataStax drivers look for it.
    flags: ['compound'],
    gc_grace_seconds: 864000,
    max_index_interval: 2048,
    memtable_flush_period_in_ms: 0,
    min_index_interval: 128,
    read_repair: 'BLOCKING',
    read_repair_chance: 0.0,
    speculative_retry: '99p',
  };
}

// Cassandra 5.0's columns (allow_auto_snapshot, incremental_backups, memtable; the legacy read
// repair chances still listed), as the 5.0.2 recording in test/fixtures/real-cassandra-scan shows.
const TABLE_OPTION_COLUMNS = [
  ['additional_write_policy', 'text'],
  ['allow_auto_snapshot', 'boolean'],
  ['bloom_filter_fp_chance', 'double'],
  ['caching', 'frozen<map<text, text>>'],
  ['cdc', 'boolean'],
  ['comment', 'text'],
  ['compaction', 'frozen<map<text, text>>'],
  ['compression', 'frozen<map<text, text>>'],
  ['crc_check_chance', 'double'],
  ['dclocal_read_repair_chance', 'double'],
  ['default_time_to_live', 'int'],
  ['extensions', 'frozen<map<text, blob>>'],
  ['flags', 'frozen<set<text>>'],
  ['gc_grace_seconds', 'int'],
  ['id', 'uuid'],
  ['incremental_backups', 'boolean'],
  ['max_index_interval', 'int'],
  ['memtable', 'text'],
  ['memtable_flush_period_in_ms', 'int'],
  ['min_index_interval', 'int'],
  ['read_repair', 'text'],
  ['read_repair_chance', 'double'],
  ['speculative_retry', 'text'],
] as const;

/** The columns of system_schema.columns, which system_virtual_schema.columns has too. */
const COLUMN_TABLE_COLUMNS: [string, string][] = [
  ['keyspace_name', 'text'],
  ['table_name', 'text'],
  ['column_name', 'text'],
  ['clustering_order', 'text'],
  ['column_name_bytes', 'blob'],
  ['kind', 'text'],
  ['position', 'int'],
  ['type', 'text'],
];

/**
 * The system_schema tables (Cassandra 4.x/5.0 layout) computed from our schema, with the columns
 * the DataStax drivers' metadata parsers read; unsupported kinds (functions, views, ...) are empty.
 */
export function systemSchemaTables(
  schema: Schema,
  virtualTables: () => Iterable<{
    keyspace: string;
    name: string;
    columns: readonly { name: string; type: DataType; kind: string; position: number; clusteringOrder: string }[];
  }>,
): VirtualTableDefinition[] {
  const ks = 'system_schema';
  const cols = (...list: [string, string][]) => list.map(([name, type]) => ({ name, type: t(type) }));
  const allTables = function* () {
    for (const k of schema.keyspaces.values()) for (const tb of k.tables.values()) yield tb;
    for (const v of virtualTables())
      yield { ...v, id: '00000000-0000-0000-0000-000000000000', options: new Map<string, string>() };
  };
  return [
    {
      keyspace: ks,
      name: 'keyspaces',
      partitionKey: ['keyspace_name'],
      columns: cols(
        ['keyspace_name', 'text'],
        ['durable_writes', 'boolean'],
        ['replication', 'frozen<map<text, text>>'],
      ),
      rows: function* () {
        for (const k of schema.keyspaces.values())
          yield { keyspace_name: k.name, durable_writes: k.durableWrites, replication: new Map(k.replication) };
      },
    },
    {
      keyspace: ks,
      name: 'tables',
      partitionKey: ['keyspace_name'],
      clustering: ['table_name'],
      columns: [
        ...cols(['keyspace_name', 'text'], ['table_name', 'text']),
        ...TABLE_OPTION_COLUMNS.map(([name, type]) => ({ name, type: t(type) })),
      ],
      rows: function* () {
        for (const tb of allTables()) {
          yield tableOptionRow(
            tb.keyspace,
            tb.name,
            'id' in tb ? tb.id : '00000000-0000-0000-0000-000000000000',
            ('options' in tb ? tb.options.get('comment') : undefined) ?? '',
          );
        }
      },
    },
    {
      keyspace: ks,
      name: 'columns',
      partitionKey: ['keyspace_name'],
      clustering: ['table_name', 'column_name'],
      columns: cols(...COLUMN_TABLE_COLUMNS),
      rows: function* () {
        for (const tb of allTables()) {
          for (const c of tb.columns) {
            yield {
              keyspace_name: tb.keyspace,
              table_name: tb.name,
              column_name: c.name,
              clustering_order: c.clusteringOrder,
              column_name_bytes: Buffer.from(c.name, 'utf8'),
              kind: c.kind,
              position: c.position,
              type: toCqlTypeString(c.type),
            };
          }
        }
      },
    },
    {
      keyspace: ks,
      name: 'types',
      partitionKey: ['keyspace_name'],
      clustering: ['type_name'],
      columns: cols(
        ['keyspace_name', 'text'],
        ['type_name', 'text'],
        ['field_names', 'frozen<list<text>>'],
        ['field_types', 'frozen<list<text>>'],
      ),
      rows: function* () {
        for (const k of schema.keyspaces.values()) {
          for (const u of k.types.values()) {
            yield {
              keyspace_name: k.name,
              type_name: u.name,
              field_names: u.fields.map((f) => f.name),
              field_types: u.fields.map((f) => toCqlTypeString(f.type)),
            };
          }
        }
      },
    },
    empty(
      ks,
      'functions',
      ['keyspace_name'],
      ['function_name', 'argument_types'],
      cols(
        ['keyspace_name', 'text'],
        ['function_name', 'text'],
        ['argument_types', 'frozen<list<text>>'],
        ['argument_names', 'frozen<list<text>>'],
        ['body', 'text'],
        ['called_on_null_input', 'boolean'],
        ['language', 'text'],
        ['return_type', 'text'],
      ),
    ),
    empty(
      ks,
      'aggregates',
      ['keyspace_name'],
      ['aggregate_name', 'argument_types'],
      cols(
        ['keyspace_name', 'text'],
        ['aggregate_name', 'text'],
        ['argument_types', 'frozen<list<text>>'],
        ['final_func', 'text'],
        ['initcond', 'text'],
        ['return_type', 'text'],
        ['state_func', 'text'],
        ['state_type', 'text'],
      ),
    ),
    empty(
      ks,
      'indexes',
      ['keyspace_name'],
      ['table_name', 'index_name'],
      cols(
        ['keyspace_name', 'text'],
        ['table_name', 'text'],
        ['index_name', 'text'],
        ['kind', 'text'],
        ['options', 'frozen<map<text, text>>'],
      ),
    ),
    empty(
      ks,
      'triggers',
      ['keyspace_name'],
      ['table_name', 'trigger_name'],
      cols(
        ['keyspace_name', 'text'],
        ['table_name', 'text'],
        ['trigger_name', 'text'],
        ['options', 'frozen<map<text, text>>'],
      ),
    ),
    empty(
      ks,
      'views',
      ['keyspace_name'],
      ['view_name'],
      [
        ...cols(
          ['keyspace_name', 'text'],
          ['view_name', 'text'],
          ['base_table_id', 'uuid'],
          ['base_table_name', 'text'],
          ['include_all_columns', 'boolean'],
          ['where_clause', 'text'],
        ),
        // views have their own id, and no flags
        ...TABLE_OPTION_COLUMNS.filter(([n]) => n !== 'flags').map(([name, type]) => ({ name, type: t(type) })),
      ],
    ),
    empty(
      ks,
      'dropped_columns',
      ['keyspace_name'],
      ['table_name', 'column_name'],
      cols(
        ['keyspace_name', 'text'],
        ['table_name', 'text'],
        ['column_name', 'text'],
        ['dropped_time', 'timestamp'],
        ['kind', 'text'],
        ['type', 'text'],
      ),
    ),
    // Cassandra 4.0+ describes its virtual tables here; drivers query these three on connect.
    empty('system_virtual_schema', 'keyspaces', ['keyspace_name'], [], cols(['keyspace_name', 'text'])),
    empty(
      'system_virtual_schema',
      'tables',
      ['keyspace_name'],
      ['table_name'],
      cols(['keyspace_name', 'text'], ['table_name', 'text'], ['comment', 'text']),
    ),
    empty(
      'system_virtual_schema',
      'columns',
      ['keyspace_name'],
      ['table_name', 'column_name'],
      cols(...COLUMN_TABLE_COLUMNS),
    ),
  ];
}

function empty(
  keyspace: string,
  name: string,
  partitionKey: string[],
  clustering: string[],
  columns: { name: string; type: DataType }[],
): VirtualTableDefinition {
  return { keyspace, name, partitionKey, clustering, columns, rows: () => [] };
}
