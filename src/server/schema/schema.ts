import { randomUUID } from 'node:crypto';
import { AlreadyExistsError, ConfigurationError, ErrorCode, InvalidRequestError } from '../../protocol/errors/index.js';
import type { SchemaChange } from '../../protocol/messages/index.js';
import type { UdtType } from '../../protocol/types/index.js';
import type {
  AlterTableStatement,
  CreateKeyspaceStatement,
  CreateTableStatement,
  CreateTypeStatement,
} from '../cql/index.js';
import type { ColumnMetadata, KeyspaceMetadata, SchemaChangeListener, TableMetadata } from './metadata.js';
import { buildTable } from './table-builder.js';
import { resolveType } from './type-resolver.js';

function invalid(message: string): InvalidRequestError {
  return new InvalidRequestError(ErrorCode.INVALID, message);
}

/** Keyspaces that always exist (the network side fills their tables as virtual tables). */
const SYSTEM_KEYSPACES = [
  'system',
  'system_schema',
  'system_auth',
  'system_distributed',
  'system_traces',
  'system_views',
  'system_virtual_schema',
];

/**
 * The schema shared by every node of an embedded cluster: keyspaces, tables, UDTs. Every change
 * gets a new schema version UUID and is announced to the listeners (the network side turns them
 * into SCHEMA_CHANGE events). Error messages follow Cassandra 4.x/5.0's wording.
 */
export class Schema {
  readonly keyspaces = new Map<string, KeyspaceMetadata>();
  private schemaVersion = randomUUID();
  private readonly listeners = new Set<SchemaChangeListener>();

  constructor() {
    for (const name of SYSTEM_KEYSPACES) {
      this.keyspaces.set(name, {
        name,
        replication: new Map([['class', 'org.apache.cassandra.locator.LocalStrategy']]),
        durableWrites: true,
        tables: new Map(),
        types: new Map(),
      });
    }
  }

  /** The current schema version (system.local.schema_version); changes on every schema change. */
  get version(): string {
    return this.schemaVersion;
  }

  /** Subscribes to schema changes; returns the unsubscribe function. */
  onChange(listener: SchemaChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  isSystemKeyspace(name: string): boolean {
    return SYSTEM_KEYSPACES.includes(name);
  }

  private changed(change: SchemaChange): SchemaChange {
    this.schemaVersion = randomUUID();
    for (const l of this.listeners) l(change);
    return change;
  }

  /** The keyspace, or InvalidRequest "Keyspace 'x' does not exist" (as USE reports it). */
  keyspace(name: string): KeyspaceMetadata {
    const ks = this.keyspaces.get(name);
    if (ks === undefined) throw invalid(`Keyspace '${name}' does not exist`);
    return ks;
  }

  /** The table, with Cassandra's `Schema.validateTable` messages. */
  table(keyspace: string, name: string): TableMetadata {
    const ks = this.keyspaces.get(keyspace);
    if (ks === undefined) throw invalid(`keyspace ${keyspace} does not exist`);
    const t = ks.tables.get(name);
    if (t === undefined) throw invalid(`table ${name} does not exist`);
    return t;
  }

  findTable(keyspace: string, name: string): TableMetadata | undefined {
    return this.keyspaces.get(keyspace)?.tables.get(name);
  }

  /** Registers a table built elsewhere (virtual/system tables); no schema event. */
  registerTable(table: TableMetadata): void {
    this.keyspace(table.keyspace).tables.set(table.name, table);
  }

  createKeyspace(s: CreateKeyspaceStatement): SchemaChange | undefined {
    if (this.keyspaces.has(s.keyspace)) {
      if (s.ifNotExists) return undefined;
      throw new AlreadyExistsError(`Cannot add existing keyspace "${s.keyspace}"`, { keyspace: s.keyspace, table: '' });
    }
    const strategy = s.replication.get('class');
    if (strategy === undefined)
      throw new ConfigurationError(ErrorCode.CONFIG_ERROR, 'Missing replication strategy class');
    this.keyspaces.set(s.keyspace, {
      name: s.keyspace,
      replication: normaliseReplication(s.replication),
      durableWrites: s.durableWrites,
      tables: new Map(),
      types: new Map(),
    });
    return this.changed({ change: 'CREATED', target: 'KEYSPACE', keyspace: s.keyspace });
  }

  dropKeyspace(name: string, ifExists: boolean): SchemaChange | undefined {
    if (!this.keyspaces.has(name)) {
      if (ifExists) return undefined;
      throw new ConfigurationError(ErrorCode.CONFIG_ERROR, `Keyspace '${name}' doesn't exist`);
    }
    if (this.isSystemKeyspace(name)) throw new UnauthorizedLike(name);
    this.keyspaces.delete(name);
    return this.changed({ change: 'DROPPED', target: 'KEYSPACE', keyspace: name });
  }

  createTable(s: CreateTableStatement, keyspace: string): { change: SchemaChange | undefined; table: TableMetadata } {
    const ks = this.keyspaces.get(keyspace);
    if (ks === undefined) throw invalid(`Keyspace '${keyspace}' doesn't exist`);
    const existing = ks.tables.get(s.table.name);
    if (existing !== undefined) {
      if (s.ifNotExists) return { change: undefined, table: existing };
      throw new AlreadyExistsError(`Cannot add already existing table "${s.table.name}" to keyspace "${keyspace}"`, {
        keyspace,
        table: s.table.name,
      });
    }
    const table = buildTable(
      ks,
      s.table.name,
      randomUUID(),
      s.columns.map((c) => ({
        name: c.name,
        type: resolveType(c.type, ks),
        isStatic: c.isStatic,
      })),
      s.partitionKey,
      s.clustering,
      s.clusteringOrder,
      s.options,
    );
    ks.tables.set(table.name, table);
    return { change: this.changed({ change: 'CREATED', target: 'TABLE', keyspace, name: table.name }), table };
  }

  dropTable(
    keyspace: string,
    name: string,
    ifExists: boolean,
  ): { change: SchemaChange | undefined; table: TableMetadata | undefined } {
    const ks = this.keyspaces.get(keyspace);
    if (ks === undefined) throw invalid(`Keyspace '${keyspace}' doesn't exist`);
    const table = ks.tables.get(name);
    if (table === undefined) {
      if (ifExists) return { change: undefined, table: undefined };
      throw invalid(`Table '${keyspace}.${name}' doesn't exist`);
    }
    ks.tables.delete(name);
    return { change: this.changed({ change: 'DROPPED', target: 'TABLE', keyspace, name }), table };
  }

  /** ALTER TABLE ADD/DROP: returns the old and new metadata so the store can re-lay its rows. */
  alterTable(
    s: AlterTableStatement,
    keyspace: string,
  ): { change: SchemaChange; before: TableMetadata; after: TableMetadata } {
    const ks = this.keyspaces.get(keyspace);
    if (ks === undefined) throw invalid(`Keyspace '${keyspace}' doesn't exist`);
    const before = ks.tables.get(s.table.name);
    if (before === undefined) throw invalid(`Table '${keyspace}.${s.table.name}' doesn't exist`);
    let defs = before.columns.map((c) => ({ name: c.name, type: c.type, isStatic: c.kind === 'static' }));
    for (const add of s.add) {
      if (before.byName.has(add.name)) throw invalid(`Column with name '${add.name}' already exists`);
      defs.push({ name: add.name, type: resolveType(add.type, ks), isStatic: add.isStatic });
    }
    for (const drop of s.drop) {
      const col = before.byName.get(drop);
      if (col === undefined) throw invalid(`Column ${drop} was not found in table ${keyspace}.${before.name}`);
      if (col.kind === 'partition_key' || col.kind === 'clustering')
        throw invalid(`Cannot drop PRIMARY KEY column ${drop}`);
      defs = defs.filter((d) => d.name !== drop);
    }
    const after = buildTable(
      ks,
      before.name,
      before.id,
      defs,
      before.partitionKey.map((c) => c.name),
      before.clustering.map((c) => c.name),
      before.clustering.map((c) => ({ column: c.name, descending: c.clusteringOrder === 'desc' })),
      before.options,
    );
    ks.tables.set(after.name, after);
    return { change: this.changed({ change: 'UPDATED', target: 'TABLE', keyspace, name: after.name }), before, after };
  }

  createType(s: CreateTypeStatement, keyspace: string): SchemaChange | undefined {
    const ks = this.keyspaces.get(keyspace);
    if (ks === undefined) throw invalid(`Keyspace '${keyspace}' doesn't exist`);
    if (ks.types.has(s.name.name)) {
      if (s.ifNotExists) return undefined;
      throw invalid(`A user type with name '${s.name.name}' already exists.`);
    }
    const seen = new Set<string>();
    for (const f of s.fields) {
      if (seen.has(f.name)) throw invalid(`Duplicate field name ${f.name} in type ${s.name.name}`);
      seen.add(f.name);
    }
    const udt: UdtType = {
      kind: 'udt',
      keyspace,
      name: s.name.name,
      fields: s.fields.map((f) => ({ name: f.name, type: resolveType(f.type, ks) })),
    };
    ks.types.set(udt.name, udt);
    return this.changed({ change: 'CREATED', target: 'TYPE', keyspace, name: udt.name });
  }

  dropType(keyspace: string, name: string, ifExists: boolean): SchemaChange | undefined {
    const ks = this.keyspaces.get(keyspace);
    if (ks === undefined) throw invalid(`Keyspace '${keyspace}' doesn't exist`);
    if (!ks.types.has(name)) {
      if (ifExists) return undefined;
      throw invalid(`Type '${keyspace}.${name}' doesn't exist`);
    }
    for (const t of ks.tables.values()) {
      if (t.columns.some((c: ColumnMetadata) => JSON.stringify(c.type).includes(`"name":"${name}"`))) {
        throw invalid(`Cannot drop user type '${keyspace}.${name}' as it is still used by table ${t.name}`);
      }
    }
    ks.types.delete(name);
    return this.changed({ change: 'DROPPED', target: 'TYPE', keyspace, name });
  }
}

/** Cassandra refuses to alter system keyspaces with an Unauthorized error; we keep it Invalid-shaped. */
class UnauthorizedLike extends InvalidRequestError {
  constructor(name: string) {
    super(ErrorCode.INVALID, `Cannot DROP <keyspace ${name}>`);
  }
}

/** Short strategy names get Cassandra's full class name in system_schema. */
function normaliseReplication(r: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map(r);
  const cls = out.get('class')!;
  if (!cls.includes('.')) out.set('class', `org.apache.cassandra.locator.${cls}`);
  return out;
}
