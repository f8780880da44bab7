/**
 * Counts the positional bind markers (`?`) of a CQL text, skipping string literals ('...' with ''
 * escapes, $$...$$), quoted identifiers ("..."), and comments (--, //, /* *\/). Returns undefined
 * when the text also has named markers (`:name`), whose count depends on repetition rules the
 * server applies, so the caller only checks what it can check exactly.
 */
export function countBindMarkers(cql: string): number | undefined {
  let count = 0;
  let named = false;
  const n = cql.length;
  for (let i = 0; i < n; i++) {
    const c = cql.charCodeAt(i);
    if (c === 0x27 /* ' */ || c === 0x22 /* " */) {
      // a doubled quote inside the literal is an escaped quote: the loop sees it as close+open
      const end = cql.indexOf(cql[i]!, i + 1);
      if (end < 0) return count;
      i = end;
    } else if (c === 0x24 /* $ */ && cql.charCodeAt(i + 1) === 0x24) {
      const end = cql.indexOf('$$', i + 2);
      if (end < 0) return count;
      i = end + 1;
    } else if (
      (c === 0x2d /* - */ && cql.charCodeAt(i + 1) === 0x2d) ||
      (c === 0x2f /* / */ && cql.charCodeAt(i + 1) === 0x2f)
    ) {
      const end = cql.indexOf('\n', i + 2);
      if (end < 0) return named ? undefined : count;
      i = end;
    } else if (c === 0x2f && cql.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = cql.indexOf('*/', i + 2);
      if (end < 0) return named ? undefined : count;
      i = end + 1;
    } else if (c === 0x3f /* ? */) {
      count++;
    } else if (c === 0x3a /* : */ && /[A-Za-z_"]/.test(cql[i + 1] ?? '') && !/[A-Za-z0-9_]/.test(cql[i - 1] ?? '')) {
      named = true;
    }
  }
  return named ? undefined : count;
}
