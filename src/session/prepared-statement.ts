import { inspect } from 'node:util';
import type { ColumnSpec, PreparedResult } from '../protocol/messages/index.js';
import { type RowDecodeOptions, RowsShape } from '../protocol/rows/index.js';

/**
 * A statement the server has prepared: what `session.prepare()` returns and `execute()` accepts.
 * It knows its bind variables (so parameters are encoded with their exact CQL types and checked
 * before anything is sent), which of them form the partition key (token-aware routing), and its
 * result columns (so pages can be sent without metadata on v5).
 *
 * The id and, on v5, the result metadata id are kept current: after a re-prepare (UNPREPARED) or
 * a METADATA_CHANGED result they are replaced in place, so a held reference stays usable.
 */
export class PreparedStatement {
  /** The CQL text as given. */
  readonly query: string;
  /** The keyspace it was prepared in (the per-statement keyspace, else the session's), if any. */
  readonly keyspace: string | undefined;
  /** One spec per bind marker, in order. */
  readonly variables: readonly ColumnSpec[];
  /** For each partition-key component, the index of the bind marker holding it; [] when unknown. */
  readonly pkIndexes: readonly number[];
  /** Whether executing it twice is harmless (lets the retry policy retry timeouts). Default false. */
  idempotent: boolean;
  /** @internal The server's statement id. */
  id: Buffer;
  /** @internal v5: the id of the result metadata the client holds. */
  resultMetadataId: Buffer | undefined;
  /** @internal The result columns, or undefined for statements returning no rows. */
  resultColumns: readonly ColumnSpec[] | undefined;
  /** @internal The decoder of result rows, built once per metadata version. */
  shape: RowsShape | undefined;
  /** @internal Bind-marker name → index (exact names first, then lower-cased). */
  readonly variableIndex: ReadonlyMap<string, number>;
  private readonly decodeOptions: RowDecodeOptions;

  constructor(
    query: string,
    keyspace: string | undefined,
    result: PreparedResult,
    idempotent: boolean,
    decodeOptions: RowDecodeOptions,
  ) {
    this.query = query;
    this.keyspace = keyspace;
    this.variables = result.metadata.columns;
    this.pkIndexes = result.metadata.pkIndexes;
    this.idempotent = idempotent;
    this.id = result.id;
    this.resultMetadataId = result.resultMetadataId;
    this.decodeOptions = decodeOptions;
    this.resultColumns = undefined;
    this.shape = undefined;
    this.setResultColumns(result.resultMetadata.columns);
    const index = new Map<string, number>();
    this.variables.forEach((v, i) => {
      if (!index.has(v.name)) index.set(v.name, i);
    });
    this.variables.forEach((v, i) => {
      const lower = v.name.toLowerCase();
      if (!index.has(lower)) index.set(lower, i);
    });
    this.variableIndex = index;
  }

  /** The keyspace of the partition key's table (for routing), from the bind variables. */
  get routingKeyspace(): string | undefined {
    const pk = this.pkIndexes[0];
    return pk !== undefined ? this.variables[pk]?.keyspace : this.keyspace;
  }

  /** @internal Takes the ids of a new PREPARED answer for the same text (after UNPREPARED). */
  refresh(result: PreparedResult): void {
    this.id = result.id;
    this.resultMetadataId = result.resultMetadataId;
    this.setResultColumns(result.resultMetadata.columns);
  }

  /** @internal v5 METADATA_CHANGED: the result columns changed; use the new id from now on. */
  metadataChanged(newMetadataId: Buffer, columns: readonly ColumnSpec[]): void {
    this.resultMetadataId = newMetadataId;
    this.setResultColumns(columns);
  }

  /** @internal The result columns the server sent with a page (v4 has no metadata id: keep the shape current). */
  setResultColumns(columns: readonly ColumnSpec[] | undefined): void {
    if (columns === undefined || columns.length === 0) {
      this.resultColumns = undefined;
      this.shape = undefined;
      return;
    }
    if (this.shape?.matches(columns) === true) {
      this.resultColumns = columns;
      return;
    }
    this.resultColumns = columns;
    this.shape = new RowsShape(columns, this.decodeOptions);
  }

  [inspect.custom](): string {
    return `PreparedStatement { query: ${JSON.stringify(this.query)}, keyspace: ${this.keyspace ?? 'none'}, variables: ${this.variables.length} }`;
  }
}
