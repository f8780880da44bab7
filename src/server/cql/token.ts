/** The kinds of lexical tokens of the CQL subset the embedded server understands. */
export type CqlTokenKind =
  | 'ident' // bare identifier or keyword (compared case-insensitively)
  | 'quoted' // "double-quoted identifier" (case kept)
  | 'string' // 'single-quoted' or $$dollar$$ string
  | 'integer'
  | 'float' // includes NaN / Infinity
  | 'uuid'
  | 'hex' // 0x... blob
  | 'duration' // 1h30m, P1D, ...
  | 'marker' // ?
  | 'named_marker' // :name
  | 'symbol'
  | 'eof';

/** One token: kind, text as it appears (unquoted for strings/quoted identifiers), and position. */
export interface CqlToken {
  readonly kind: CqlTokenKind;
  /** Value: the unescaped content for strings and quoted identifiers, else the source text. */
  readonly text: string;
  /** Source offset of the first and one past the last character. */
  readonly start: number;
  readonly end: number;
  /** 1-based line and 0-based column, as ANTLR (and so Cassandra's messages) count them. */
  readonly line: number;
  readonly column: number;
  /** Index in the stream that also counts whitespace/comment runs, as ANTLR's token stream does. */
  readonly streamIndex: number;
}
