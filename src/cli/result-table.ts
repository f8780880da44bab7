/**
 * The aligned tables `cqlwire query` and `cqlwire shell` print, laid out as cqlsh does: column
 * names left-aligned, values right-aligned, ` | ` between columns, a `-+-` rule under the
 * names; or, expanded (cqlsh `EXPAND ON`), one `@ Row n` block per row with a line per column.
 * Control characters in values are escaped (`\n`) so that one row stays one line.
 */

const CONTROL = /[\u0000-\u001f\u007f]/g;

/** `text` with its control characters escaped as cqlsh shows them. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    }
  });
}

/** Column widths: the widest name or value of each column. */
function widthsOf(names: readonly string[], rows: readonly (readonly string[])[]): number[] {
  const widths = names.map((n) => n.length);
  for (const row of rows) for (let j = 0; j < widths.length; j++) widths[j] = Math.max(widths[j]!, row[j]!.length);
  return widths;
}

/**
 * A table of `rows` (display texts, already escaped) under `names`: the lines, each ending in
 * LF, starting with an empty line as cqlsh does.
 */
export function formatTable(names: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = widthsOf(names, rows);
  let out = `\n ${names
    .map((n, j) => n.padEnd(widths[j]!))
    .join(' | ')
    .trimEnd()}\n`;
  out += `-${widths.map((w) => '-'.repeat(w)).join('-+-')}-\n`;
  for (const row of rows) out += ` ${row.map((v, j) => v.padStart(widths[j]!)).join(' | ')}\n`;
  return out;
}

/** Rows one column per line (cqlsh `EXPAND ON`); `firstRow` numbers the blocks across pages. */
export function formatExpanded(names: readonly string[], rows: readonly (readonly string[])[], firstRow = 1): string {
  const nameWidth = Math.max(0, ...names.map((n) => n.length));
  let out = '';
  rows.forEach((row, i) => {
    const valueWidth = Math.max(0, ...row.map((v) => v.length));
    out += `\n@ Row ${firstRow + i}\n`;
    out += `-${'-'.repeat(nameWidth)}-+-${'-'.repeat(valueWidth)}-\n`;
    for (let j = 0; j < names.length; j++) out += ` ${names[j]!.padEnd(nameWidth)} | ${row[j]!}\n`;
  });
  return out;
}

/** cqlsh's closing line: `(1 rows)`, `(3 rows)`. */
export function rowCountLine(rows: number): string {
  return `\n(${rows} rows)\n`;
}
