import { Opcode } from '../../protocol/envelope/index.js';
import type { ColumnSpec, SchemaChange } from '../../protocol/messages/index.js';
import { serializePartitionKey } from '../../protocol/token/index.js';
import type { DataType } from '../../protocol/types/index.js';
import { encodeValue } from '../../protocol/types/index.js';
import type { ModificationStatement, ParsedStatement, SelectStatement, Statement } from '../cql/index.js';
import { parseStatement } from '../cql/index.js';
import type { SchemaChangeListener, TableMetadata } from '../schema/index.js';
import type { TableData } from '../store/index.js';
import { DataStore } from '../store/index.js';
import { bindMetadata } from './bind-metadata.js';
import { storedCell } from './collection-cells.js';
import type { BoundValue } from './cql-values.js';
import { checkKeyComponents, invalidRequest, NO_KEYSPACE_MESSAGE } from './invalid-request.js';
import { executeDelete, executeInsert, executeUpdate } from './modification-executor.js';
import type { ExecutionResult, RowsPage } from './result.js';
import { VOID_RESULT } from './result.js';
import { executeSelect, selectColumns } from './select-executor.js';
import { systemSchemaTables } from './system-schema.js';
import type { VirtualTableDefinition } from './virtual-table.js';
import { VirtualTable } from './virtual-table.js';

/** Bound values: by marker index, or by marker name (`:name` markers). */
export type BoundValues =
  | readonly BoundValue[]
  | ReadonlyMap<string, BoundValue>
  | Readonly<Record<string, BoundValue>>;

export interface ExecuteOptions {
  /** The connection's keyspace (USE) or the v5 per-request keyspace. */
  readonly keyspace?: string;
  /** Rows per page; absent or ≤ 0 means one page with every row. */
  readonly pageSize?: number;
  readonly pagingState?: Buffer;
  /** With WITH_NAMES_FOR_VALUES: the name of each value in `values`. */
  readonly names?: readonly string[];
}

/** What PREPARE returns, and what EXECUTE takes back. */
export interface PreparedStatement {
  readonly query: string;
  readonly keyspace: string | undefined;
  readonly parsed: ParsedStatement;
  readonly bindColumns: ColumnSpec[];
  /** Marker index of each partition-key component; [] unless all are bound (native_protocol_v5.spec §4.2.5.4). */
  readonly pkIndexes: number[];
  /** Result columns; [] for statements that return no rows. */
  readonly resultColumns: ColumnSpec[];
  /** The table read or written, when there is one. */
  readonly table: { readonly keyspace: string; readonly name: string } | undefined;
}

/** Rows for `load`: objects by column name or arrays in `SELECT *` order, or a generator. */
export type LoadSource =
  | Iterable<Readonly<Record<string, unknown>> | readonly unknown[]>
  | { readonly count: number; generate(i: number): Readonly<Record<string, unknown>> | readonly unknown[] };

const PARSE_CACHE_LIMIT = 10_000;

/**
 * One node's view of the embedded server's data: executes CQL (text or prepared) against a
 * `DataStore` that several `Database`s — one per node — may share, so that a paging state from
 * one node continues on another. It keeps a parse cache and the virtual tables.
 */
export class Database {
  readonly store: DataStore;
  private readonly parseCache = new Map<string, ParsedStatement>();
  private readonly virtualTables = new Map<string, VirtualTable>();

  constructor(store: DataStore = new DataStore()) {
    this.store = store;
    for (const def of systemSchemaTables(store.schema, () => [...this.virtualTables.values()].map((v) => v.metadata))) {
      this.registerVirtualTable(def);
    }
  }

  /** The current schema version UUID (system.local / system.peers schema_version). */
  get schemaVersion(): string {
    return this.store.schema.version;
  }

  /** Subscribes to schema changes (for SCHEMA_CHANGE events); returns the unsubscribe function. */
  onSchemaChange(listener: SchemaChangeListener): () => void {
    return this.store.schema.onChange(listener);
  }

  /** Registers a table whose rows are computed on every read; it shows in system_schema too. */
  registerVirtualTable(def: VirtualTableDefinition): void {
    const v = new VirtualTable(def);
    this.virtualTables.set(`${def.keyspace}.${def.name}`, v);
  }

  /** Parses CQL text, through a cache keyed by the text (QUERY and EXECUTE do not reparse). */
  parse(query: string): ParsedStatement {
    let p = this.parseCache.get(query);
    if (p === undefined) {
      p = parseStatement(query);
      if (this.parseCache.size >= PARSE_CACHE_LIMIT) this.parseCache.clear();
      this.parseCache.set(query, p);
    }
    return p;
  }

  /** PREPARE: parses and validates the statement, and describes its bind variables and result. */
  prepare(query: string, keyspace?: string): PreparedStatement {
    const parsed = this.parse(query);
    const s = parsed.statement;
    const resolve = (ks: string | undefined, name: string): TableMetadata => this.tableMetadata(ks ?? keyspace, name);
    const bind = bindMetadata(s, parsed.bindCount, resolve);
    let resultColumns: ColumnSpec[] = [];
    let table: { keyspace: string; name: string } | undefined;
    if (s.type === 'select' || s.type === 'insert' || s.type === 'update' || s.type === 'delete') {
      const meta = resolve(s.table.keyspace, s.table.name);
      table = { keyspace: meta.keyspace, name: meta.name };
      if (s.type === 'select') resultColumns = selectColumns(meta, s).specs;
    }
    return { query, keyspace, parsed, bindColumns: bind.specs, pkIndexes: bind.pkIndexes, resultColumns, table };
  }

  /** Executes CQL text or a prepared statement with bound values. Errors are ServerError subclasses. */
  execute(
    statement: string | PreparedStatement,
    values: BoundValues = [],
    options: ExecuteOptions = {},
  ): ExecutionResult {
    const parsed = typeof statement === 'string' ? this.parse(statement) : statement.parsed;
    const keyspace = typeof statement === 'string' ? options.keyspace : (statement.keyspace ?? options.keyspace);
    const bound = this.matchValues(parsed, values, options.names);
    return this.run(parsed.statement, bound, keyspace, options);
  }

  /** BATCH: INSERT/UPDATE/DELETE only, each with its own values; Void unless a statement is conditional. */
  batch(
    items: readonly { statement: string | PreparedStatement; values?: BoundValues }[],
    options: ExecuteOptions = {},
  ): ExecutionResult {
    const work: { s: Statement; values: readonly BoundValue[]; keyspace: string | undefined }[] = [];
    for (const item of items) {
      const parsed = typeof item.statement === 'string' ? this.parse(item.statement) : item.statement.parsed;
      const s = parsed.statement;
      if (s.type !== 'insert' && s.type !== 'update' && s.type !== 'delete') {
        throw invalidRequest('Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.');
      }
      const keyspace =
        typeof item.statement === 'string' ? options.keyspace : (item.statement.keyspace ?? options.keyspace);
      work.push({ s, values: this.matchValues(parsed, item.values ?? [], undefined), keyspace });
    }
    refuseConditional(work.map((w) => w.s));
    for (const w of work) this.modify(w.s as ModificationStatement, w.values, w.keyspace);
    return VOID_RESULT;
  }

  /** Fills a table without CQL: objects by column name, arrays in `SELECT *` order, or a generator. Returns the row count. */
  load(keyspace: string, table: string, source: LoadSource): number {
    const meta = this.store.schema.table(keyspace, table);
    const data = this.store.table(meta);
    const cols = meta.columns;
    const cells: (Buffer | null)[] = new Array<Buffer | null>(cols.length);
    const pkParts: Buffer[] = new Array<Buffer>(meta.partitionKey.length);
    const clustering: Buffer[] = new Array<Buffer>(meta.clustering.length);
    let n = 0;
    const one = (row: Readonly<Record<string, unknown>> | readonly unknown[]): void => {
      const isArray = Array.isArray(row);
      for (let i = 0; i < cols.length; i++) {
        const c = cols[i]!;
        const v = isArray ? (row as readonly unknown[])[i] : (row as Readonly<Record<string, unknown>>)[c.name];
        const encoded = encodeValue(c.type, v, { column: c.name });
        // collections are stored as a CQL write stores them (sets and maps sorted, empty = null)
        cells[i] = encoded === null || !isCollection(c.type) ? encoded : storedCell(c.type, encoded);
      }
      for (let i = 0; i < pkParts.length; i++) {
        const v = cells[i];
        if (v === null || v === undefined)
          throw invalidRequest(`Invalid null value for partition key column ${cols[i]!.name}`);
        pkParts[i] = v;
      }
      for (let i = 0; i < clustering.length; i++) {
        const v = cells[pkParts.length + i];
        if (v === null || v === undefined)
          throw invalidRequest(`Invalid null value for clustering column ${cols[pkParts.length + i]!.name}`);
        clustering[i] = v;
      }
      if (pkParts.length > 1) checkKeyComponents(pkParts);
      if (bulk) data.loadRow(serializePartitionKey(pkParts), cells);
      else data.upsert(serializePartitionKey(pkParts), clustering, cells, true);
      n++;
    };
    // Into an empty (or only loaded) table, rows are staged and laid out once in ring order (no
    // per-row objects while loading, slab ready for the first scan); otherwise they are upserted
    // one by one.
    const bulk = data.beginLoad();
    try {
      if ('generate' in source && typeof source.generate === 'function') {
        for (let i = 0; i < source.count; i++) one(source.generate(i));
      } else {
        for (const row of source as Iterable<Readonly<Record<string, unknown>> | readonly unknown[]>) one(row);
      }
    } finally {
      // A bad row stops the load; the rows before it stay loaded, as with row-by-row upserts.
      if (bulk) data.endLoad();
    }
    return n;
  }

  // ---- internals ----

  private matchValues(
    parsed: ParsedStatement,
    values: BoundValues,
    names: readonly string[] | undefined,
  ): readonly BoundValue[] {
    if (Array.isArray(values) && names === undefined) {
      if (values.length !== parsed.bindCount) {
        throw invalidRequest(`There were ${parsed.bindCount} markers(?) in CQL but ${values.length} bound variables`);
      }
      return values as readonly BoundValue[];
    }
    const byName = new Map<string, BoundValue>();
    if (Array.isArray(values)) (values as readonly BoundValue[]).forEach((v, i) => byName.set(names![i]!, v));
    else if (values instanceof Map) for (const [k, v] of values as ReadonlyMap<string, BoundValue>) byName.set(k, v);
    else for (const [k, v] of Object.entries(values as Readonly<Record<string, BoundValue>>)) byName.set(k, v);
    return parsed.bindNames.map((name, i) => {
      const key = name ?? `[${i}]`;
      const v = byName.get(key) ?? byName.get(key.toLowerCase());
      if (v === undefined) throw invalidRequest(`No value for bind variable ${name ?? i}`);
      return v;
    });
  }

  private keyspaceOf(explicit: string | undefined, session: string | undefined): string {
    const ks = explicit ?? session;
    if (ks === undefined) throw invalidRequest(NO_KEYSPACE_MESSAGE);
    return ks;
  }

  private tableMetadata(keyspace: string | undefined, name: string): TableMetadata {
    const ks = this.keyspaceOf(undefined, keyspace);
    const v = this.virtualTables.get(`${ks}.${name}`);
    if (v !== undefined) return v.metadata;
    return this.store.schema.table(ks, name);
  }

  private tableFor(
    keyspace: string | undefined,
    name: string,
  ): { meta: TableMetadata; data: TableData; virtual: boolean } {
    const ks = this.keyspaceOf(undefined, keyspace);
    const v = this.virtualTables.get(`${ks}.${name}`);
    if (v !== undefined) return { meta: v.metadata, data: v.snapshot(), virtual: true };
    const meta = this.store.schema.table(ks, name);
    return { meta, data: this.store.table(meta), virtual: false };
  }

  private run(
    s: Statement,
    values: readonly BoundValue[],
    keyspace: string | undefined,
    options: ExecuteOptions,
  ): ExecutionResult {
    const schema = this.store.schema;
    switch (s.type) {
      case 'select':
        return this.select(s, values, keyspace, options);
      case 'insert':
      case 'update':
      case 'delete':
        return this.modify(s, values, keyspace) ?? VOID_RESULT;
      case 'batch': {
        refuseConditional(s.statements);
        for (const inner of s.statements) this.modify(inner, values, keyspace);
        return VOID_RESULT;
      }
      case 'use':
        schema.keyspace(s.keyspace);
        return { opcode: Opcode.RESULT, kind: 'setKeyspace', keyspace: s.keyspace };
      case 'truncate': {
        const { data, virtual } = this.tableFor(s.table.keyspace ?? keyspace, s.table.name);
        if (virtual) throw invalidRequest(`Error during truncate: Cannot truncate virtual tables`);
        data.truncate();
        return VOID_RESULT;
      }
      case 'create_keyspace':
        return changeResult(schema.createKeyspace(s));
      case 'drop_keyspace': {
        const ks = schema.keyspaces.get(s.keyspace);
        const tables = ks === undefined ? [] : [...ks.tables.values()];
        const change = schema.dropKeyspace(s.keyspace, s.ifExists);
        if (change !== undefined) for (const t of tables) this.store.dropTable(t);
        return changeResult(change);
      }
      case 'create_table':
        return changeResult(schema.createTable(s, this.keyspaceOf(s.table.keyspace, keyspace)).change);
      case 'drop_table': {
        const { change, table } = schema.dropTable(
          this.keyspaceOf(s.table.keyspace, keyspace),
          s.table.name,
          s.ifExists,
        );
        if (table !== undefined) this.store.dropTable(table);
        return changeResult(change);
      }
      case 'alter_table': {
        const { change, before, after } = schema.alterTable(s, this.keyspaceOf(s.table.keyspace, keyspace));
        this.store.alterTable(before, after);
        return changeResult(change);
      }
      case 'create_type':
        return changeResult(schema.createType(s, this.keyspaceOf(s.name.keyspace, keyspace)));
      case 'drop_type':
        return changeResult(schema.dropType(this.keyspaceOf(s.name.keyspace, keyspace), s.name.name, s.ifExists));
    }
  }

  private select(
    s: SelectStatement,
    values: readonly BoundValue[],
    keyspace: string | undefined,
    options: ExecuteOptions,
  ): RowsPage {
    const { meta, data } = this.tableFor(s.table.keyspace ?? keyspace, s.table.name);
    return executeSelect({
      table: meta,
      data,
      statement: s,
      values,
      pageSize: options.pageSize,
      pagingState: options.pagingState,
    });
  }

  private modify(
    s: ModificationStatement,
    values: readonly BoundValue[],
    keyspace: string | undefined,
  ): RowsPage | undefined {
    const { meta, data, virtual } = this.tableFor(s.table.keyspace ?? keyspace, s.table.name);
    if (virtual) throw invalidRequest(`Modification is not supported on table ${meta.keyspace}.${meta.name}`);
    switch (s.type) {
      case 'insert':
        return executeInsert(s, meta, data, values);
      case 'update':
        return executeUpdate(s, meta, data, values);
      case 'delete':
        return executeDelete(s, meta, data, values);
    }
  }
}

/** Conditional batches ([applied] over several statements) are not implemented: refuse them rather than answer wrongly. */
function refuseConditional(statements: readonly Statement[]): void {
  for (const s of statements) {
    if ((s.type === 'insert' && s.ifNotExists) || ((s.type === 'update' || s.type === 'delete') && s.ifExists)) {
      throw invalidRequest('Conditional statements in a BATCH are not supported by the embedded server');
    }
  }
}

function changeResult(change: SchemaChange | undefined): ExecutionResult {
  return change === undefined ? VOID_RESULT : { opcode: Opcode.RESULT, kind: 'schemaChange', change };
}

function isCollection(type: DataType): boolean {
  return type.kind === 'set' || type.kind === 'map' || type.kind === 'list';
}
