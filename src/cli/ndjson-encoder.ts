/**
 * NDJSON for `cqlwire export`: one JSON object per row, one row per line (LF), keys in column
 * order, values in their JSON form (the rule `Row.toJSON()` follows too, value-json.ts: bigint,
 * varint, counter and decimal as strings). A null cell is JSON null.
 */
import type { RowColumn } from '../protocol/rows/index.js';
import type { JsonOf } from '../protocol/types/value-json.js';
import { jsonOf } from '../protocol/types/value-json.js';
import type { CellSource } from './csv-encoder.js';

/** Encodes rows of one result shape to NDJSON lines; the key prefixes are built once. */
export class NdjsonEncoder {
  private readonly json: readonly JsonOf[];
  /** `{"name":` for the first column, `,"name":` for the others. */
  private readonly prefixes: readonly string[];

  constructor(readonly columns: readonly RowColumn[]) {
    this.json = columns.map((c) => jsonOf(c.type));
    this.prefixes = columns.map((c, j) => `${j === 0 ? '{' : ','}${JSON.stringify(c.name)}:`);
  }

  /** One row from its decoded values, in column order, LF-terminated. */
  values(values: readonly unknown[]): string {
    if (this.json.length === 0) return '{}\n';
    let line = '';
    for (let j = 0; j < this.json.length; j++) line += this.prefixes[j]! + JSON.stringify(this.json[j]!(values[j]));
    return `${line}}\n`;
  }

  /** Rows `from` to `to` (exclusive) of a page, straight from its cells. */
  rows(source: CellSource, from = 0, to = source.length): string {
    const n = this.json.length;
    let out = '';
    for (let i = from; i < to; i++) {
      if (n === 0) {
        out += '{}\n';
        continue;
      }
      for (let j = 0; j < n; j++) out += this.prefixes[j]! + JSON.stringify(this.json[j]!(source.cell(i, j)));
      out += '}\n';
    }
    return out;
  }
}
