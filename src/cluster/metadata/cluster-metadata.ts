import { ArgumentError, InvalidRequestError } from '../../protocol/errors/index.js';
import type { Row } from '../../protocol/rows/index.js';
import type { TopologyListener } from '../cluster-topology.js';
import type { Host } from '../host.js';
import type { ReplicationStrategy } from '../replication.js';
import type { TokenRing } from '../token-ring.js';
import { buildKeyspaces, SCHEMA_TABLES, type SchemaRows } from './keyspace-builder.js';
import type { KeyspaceMetadata, SizeEstimate, TableMetadata, TokenRange } from './metadata-types.js';
import type { SchemaRow } from './schema-row.js';
import { parseSizeEstimates, SIZE_ESTIMATES_QUERY, TABLE_ESTIMATES_QUERY } from './size-estimates.js';
import { ringTokenRanges } from './token-ranges.js';

/** What the metadata reads from: the cluster topology (its control connection, ring and events). */
export interface MetadataSource {
  /** Runs a query on the control connection, values bound as text; one page of rows. */
  queryControl(query: string, values?: readonly string[]): Promise<Row[]>;
  /** The current token ring. */
  readonly tokenRing: TokenRing;
  /** Changes whenever a new control connection takes over (events may have been missed meanwhile). */
  readonly controlGeneration: number;
  /** The replication of `keyspace` as the topology last read it. */
  replicationOf(keyspace: string): ReplicationStrategy;
  addListener(listener: TopologyListener): void;
}

/** Options of {@link ClusterMetadata}. */
export interface ClusterMetadataOptions {
  /** Replicas of this data center are listed first. */
  readonly localDataCenter?: string | undefined;
}

/** system_schema tables some servers lack (an older layout): read as empty instead of failing. */
const OPTIONAL: ReadonlySet<keyof SchemaRows> = new Set(['types', 'views', 'indexes', 'droppedColumns']);
const MIN_TOKEN = -(2n ** 63n);
const MAX_TOKEN = 2n ** 63n - 1n;

/**
 * The cluster's schema and token ring, as `cluster.metadata`. Keyspaces, tables and views are read
 * from system_schema through the control connection when first asked for, kept, and dropped from
 * the cache when a SCHEMA_CHANGE event names their keyspace (or when a new control connection took
 * over, as events may have been missed), so the next call reads them again.
 * Token ranges and replicas are computed from the topology's ring (system.local and peers), kept
 * current by topology events. Everything here is read-only.
 */
export class ClusterMetadata {
  private readonly source: MetadataSource;
  private readonly localDataCenter: string | undefined;
  private everyKeyspace: Promise<KeyspaceMetadata[]> | undefined = undefined;
  private readonly keyspaceCache = new Map<string, Promise<KeyspaceMetadata | undefined>>();
  private readonly rangeCache = new WeakMap<TokenRing, Map<string, readonly TokenRange[]>>();
  /** The control connection the cached schema was read through (see `fresh`). */
  private cachedGeneration = -1;

  constructor(source: MetadataSource, options: ClusterMetadataOptions = {}) {
    this.source = source;
    this.localDataCenter = options.localDataCenter;
    source.addListener({ schemaChanged: (change) => this.invalidate(change.keyspace) });
  }

  /** Every keyspace (system ones included), sorted by name. Rejects when system_schema cannot be read. */
  keyspaces(): Promise<KeyspaceMetadata[]> {
    this.fresh();
    if (this.everyKeyspace === undefined) {
      const load = this.load(undefined);
      this.everyKeyspace = load;
      load.catch(() => {
        if (this.everyKeyspace === load) this.everyKeyspace = undefined;
      });
    }
    return this.everyKeyspace.then((list) => [...list]);
  }

  /** The keyspace called `name` (exact, as stored), or undefined when there is none. */
  keyspace(name: string): Promise<KeyspaceMetadata | undefined> {
    checkName('keyspace', name);
    this.fresh();
    let cached = this.keyspaceCache.get(name);
    if (cached === undefined) {
      const load = this.load(name).then((list) => list.find((k) => k.name === name));
      cached = load;
      this.keyspaceCache.set(name, load);
      load.catch(() => {
        if (this.keyspaceCache.get(name) === load) this.keyspaceCache.delete(name);
      });
    }
    return cached;
  }

  /**
   * The table or materialized view `keyspace.name` (exact names, as stored), or undefined. A name
   * the cached keyspace lacks is looked up once more on the server, so a table created a moment
   * ago is found even before its SCHEMA_CHANGE event arrives.
   */
  async table(keyspace: string, name: string): Promise<TableMetadata | undefined> {
    checkName('table', name);
    const found = (await this.keyspace(keyspace))?.table(name);
    if (found !== undefined) return found;
    this.invalidate(keyspace);
    return (await this.keyspace(keyspace))?.table(name);
  }

  /**
   * The token ring's ranges in ring order, the wrapping one first (`start > end`; with a single
   * ring token, `start === end` covers the whole ring). With `keyspace`, each range lists every
   * replica under the keyspace's replication; without, its primary owner only. Replicas of
   * `localDataCenter` come first. [] before `connect()`. The result is a pure function of the
   * ring, the keyspace's replication and the options: computed once per ring and kept.
   */
  tokenRanges(keyspace?: string): TokenRange[] {
    if (keyspace !== undefined) checkName('keyspace', keyspace);
    const ring = this.source.tokenRing;
    let perKeyspace = this.rangeCache.get(ring);
    if (perKeyspace === undefined) this.rangeCache.set(ring, (perKeyspace = new Map<string, readonly TokenRange[]>()));
    const key = keyspace ?? '';
    let ranges = perKeyspace.get(key);
    if (ranges === undefined) {
      const strategy = keyspace === undefined ? { kind: 'other' as const } : this.source.replicationOf(keyspace);
      ranges = Object.freeze(ringTokenRanges(ring, keyspace, strategy, this.localDataCenter));
      perKeyspace.set(key, ranges);
    }
    return [...ranges];
  }

  /**
   * The replicas of Murmur3 token `token` (a bigint in [-2^63, 2^63 - 1]) for `keyspace`: primary
   * first, those of `localDataCenter` moved to the front. An unknown keyspace: the owner only.
   */
  replicas(keyspace: string, token: bigint): Host[] {
    checkName('keyspace', keyspace);
    if (typeof token !== 'bigint' || token < MIN_TOKEN || token > MAX_TOKEN) {
      throw new ArgumentError(`token must be a bigint in [${MIN_TOKEN}, ${MAX_TOKEN}], got ${String(token)}`);
    }
    const ring = this.source.tokenRing;
    return [...ring.replicas(token, keyspace, this.source.replicationOf(keyspace))].sort(
      (a, b) => Number(b.dataCenter === this.localDataCenter) - Number(a.dataCenter === this.localDataCenter),
    );
  }

  /**
   * The size estimates the control node keeps for `keyspace.table`: one per primary range of that
   * node (system.table_estimates 'primary' on Cassandra 4.0+, system.size_estimates otherwise).
   * Cassandra computes them from SSTables every few minutes, so they may be missing or stale: an
   * unknown table, an empty table, a server without these tables or a failed read all give [].
   */
  async sizeEstimates(keyspace: string, table: string): Promise<SizeEstimate[]> {
    checkName('keyspace', keyspace);
    checkName('table', table);
    for (const query of [TABLE_ESTIMATES_QUERY, SIZE_ESTIMATES_QUERY]) {
      try {
        const rows = await this.source.queryControl(query, [keyspace, table]);
        if (rows.length > 0) return parseSizeEstimates(rows.map((r) => r.toObject()));
      } catch {
        // no such table on this server, or the control connection is down: try the next, then []
      }
    }
    return [];
  }

  /**
   * Forgets the whole cache when another control connection took over since it was filled: schema
   * change events sent while none was registered never arrived.
   */
  private fresh(): void {
    const generation = this.source.controlGeneration;
    if (generation === this.cachedGeneration) return;
    this.cachedGeneration = generation;
    this.everyKeyspace = undefined;
    this.keyspaceCache.clear();
  }

  /** Forgets what is cached about `keyspace` (and the keyspace list). */
  private invalidate(keyspace: string): void {
    this.everyKeyspace = undefined;
    this.keyspaceCache.delete(keyspace);
  }

  /** Reads the system_schema tables (of one keyspace, or all) and builds their metadata. */
  private async load(keyspace: string | undefined): Promise<KeyspaceMetadata[]> {
    const where = keyspace === undefined ? '' : ' WHERE keyspace_name = ?';
    const values = keyspace === undefined ? undefined : [keyspace];
    const entries = await Promise.all(
      (Object.keys(SCHEMA_TABLES) as (keyof SchemaRows)[]).map(async (field) => {
        let rows: Row[];
        try {
          rows = await this.source.queryControl(`SELECT * FROM system_schema.${SCHEMA_TABLES[field]}${where}`, values);
        } catch (error) {
          if (!(OPTIONAL.has(field) && error instanceof InvalidRequestError)) throw error;
          rows = [];
        }
        return [field, rows.map((r): SchemaRow => r.toObject())] as const;
      }),
    );
    return buildKeyspaces(Object.fromEntries(entries) as unknown as SchemaRows);
  }
}

function checkName(what: string, name: unknown): void {
  if (typeof name !== 'string' || name.length === 0)
    throw new ArgumentError(`${what} must be a non-empty string, got ${String(name)}`);
}
