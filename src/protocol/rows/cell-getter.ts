import type { CellDecoder } from './column.js';

/** What a compiled getter reads from a Row's page (RowsPage implements it). */
export interface IndexedCells {
  /** One entry per cell, row-major: the offset of its [int] length (negative length = null). */
  readonly cellIndex: Int32Array;
  readonly buffer: Buffer;
}

/**
 * The body of a column getter: finds the cell in its page's index and calls the column's decoder.
 * A constant text; only values (the row's symbol keys, the decoder, the column, the width) are
 * passed in, never a name or anything from the network.
 */
const GETTER_BODY = `return function () {
  const page = this[source];
  const buf = page.buffer;
  const at = page.cellIndex[this[index] * width + column];
  const length = (buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3];
  return length < 0 ? null : decode(buf, at + 4, length);
}`;

let codeGenerationAllowed = true;

/**
 * A getter for one column, compiled per column of a result shape so that each getter has its
 * own call site for its own decoder: a `row.name` read then costs about what a hand-written
 * read of the cell does (the shared `cell()` path calls every column's decoder from one
 * megamorphic site). Returns undefined where the runtime forbids code generation from strings
 * (`--disallow-code-generation-from-strings`); the caller then uses the shared path.
 */
export function compileCellGetter(
  source: symbol,
  index: symbol,
  decode: CellDecoder,
  column: number,
  width: number,
): (() => unknown) | undefined {
  if (!codeGenerationAllowed) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- constant source, see GETTER_BODY
    const factory = new Function('source', 'index', 'decode', 'column', 'width', GETTER_BODY) as (
      source: symbol,
      index: symbol,
      decode: CellDecoder,
      column: number,
      width: number,
    ) => () => unknown;
    return factory(source, index, decode, column, width);
  } catch {
    codeGenerationAllowed = false;
    return undefined;
  }
}
