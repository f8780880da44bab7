/**
 * A small strict RFC 4180 parser for the export tests: CRLF between records, fields quoted with
 * `"` and `""` inside quotes, nothing after a closing quote but `,` or the record end. An unquoted
 * empty field is null (the export's null), a quoted one a string: the two must stay distinct.
 * Anything else is an error, so a sloppy encoder cannot pass by accident.
 */
export type CsvRecord = (string | null)[];

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return records;
  let record: CsvRecord = [];
  for (;;) {
    let field: string | null;
    if (text[i] === '"') {
      i++;
      let value = '';
      for (;;) {
        if (i >= n) throw new Error(`unterminated quoted field at offset ${i}`);
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += c;
        i++;
      }
      field = value;
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`quote inside an unquoted field at offset ${i}`);
        i++;
      }
      field = i === start ? null : text.slice(start, i);
    }
    record.push(field);
    if (i >= n) throw new Error('the last record does not end with CRLF');
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2;
      records.push(record);
      record = [];
      if (i >= n) return records;
      continue;
    }
    throw new Error(`unexpected ${JSON.stringify(text[i])} after a field at offset ${i} (records end with CRLF)`);
  }
}
