import { CqlSyntaxError, ErrorCode } from '../../protocol/errors/index.js';
import type { CqlToken, CqlTokenKind } from './token.js';

/** Result of lexing: the significant tokens (ending with one `eof`) and every stream token's start. */
export interface LexResult {
  readonly tokens: CqlToken[];
  readonly streamStarts: number[];
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
// Duration literals (Cassandra Lexer.g DURATION): 1h30m, 12mo3d, ISO 8601 P1Y2M, PT1H, P1W.
const DURATION_RE =
  /^-?(?:(?:\d+(?:y|mo|w|d|h|s|ms|us|µs|ns|m))+|P\d+W|P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)/i;
const SYMBOLS = ['<=', '>=', '!=', '(', ')', ',', ';', '.', '*', '=', '<', '>', '+', '-', '[', ']', '{', '}', ':', '?'];

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Splits CQL text into tokens following Cassandra's Lexer.g for the subset we accept. Whitespace
 * and comments (`--`, `//`, `/* *\/`) are hidden tokens: they are skipped but still counted in the
 * stream index, because Cassandra's error snippets count them.
 */
export function lex(query: string): LexResult {
  const tokens: CqlToken[] = [];
  const streamStarts: number[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const n = query.length;

  const push = (kind: CqlTokenKind, text: string, start: number, end: number): void => {
    tokens.push({ kind, text, start, end, line, column: start - lineStart, streamIndex: streamStarts.length });
    streamStarts.push(start);
  };
  const lexError = (at: number, message: string): CqlSyntaxError =>
    new CqlSyntaxError(ErrorCode.SYNTAX_ERROR, `line ${line}:${at - lineStart} ${message}`);
  const advanceLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      if (query.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
  };

  while (pos < n) {
    const c = query.charCodeAt(pos);
    const start = pos;
    // Hidden: whitespace and comments.
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      while (pos < n && /\s/.test(query[pos]!)) pos++;
      streamStarts.push(start);
      advanceLines(start, pos);
      continue;
    }
    if ((c === 45 && query.charCodeAt(pos + 1) === 45) || (c === 47 && query.charCodeAt(pos + 1) === 47)) {
      while (pos < n && query.charCodeAt(pos) !== 10) pos++;
      streamStarts.push(start);
      continue;
    }
    if (c === 47 && query.charCodeAt(pos + 1) === 42) {
      const close = query.indexOf('*/', pos + 2);
      if (close < 0) throw lexError(n, "mismatched character '<EOF>' expecting '*'");
      pos = close + 2;
      streamStarts.push(start);
      advanceLines(start, pos);
      continue;
    }
    // Strings: 'it''s' and $$raw$$.
    if (c === 39) {
      let out = '';
      pos++;
      for (;;) {
        if (pos >= n) throw lexError(n, "mismatched character '<EOF>' expecting '''");
        const ch = query[pos]!;
        if (ch === "'") {
          if (query[pos + 1] === "'") {
            out += "'";
            pos += 2;
            continue;
          }
          pos++;
          break;
        }
        out += ch;
        pos++;
      }
      push('string', out, start, pos);
      advanceLines(start, pos);
      continue;
    }
    if (c === 36 && query.charCodeAt(pos + 1) === 36) {
      const close = query.indexOf('$$', pos + 2);
      if (close < 0) throw lexError(n, "mismatched character '<EOF>' expecting '$'");
      push('string', query.slice(pos + 2, close), start, close + 2);
      pos = close + 2;
      advanceLines(start, pos);
      continue;
    }
    if (c === 34) {
      let out = '';
      pos++;
      for (;;) {
        if (pos >= n) throw lexError(n, "mismatched character '<EOF>' expecting '\"'");
        const ch = query[pos]!;
        if (ch === '"') {
          if (query[pos + 1] === '"') {
            out += '"';
            pos += 2;
            continue;
          }
          pos++;
          break;
        }
        out += ch;
        pos++;
      }
      push('quoted', out, start, pos);
      continue;
    }
    const rest = query.slice(pos, pos + 64);
    // UUIDs before numbers and identifiers: they may start with either.
    const uuid = UUID_RE.exec(rest);
    if (uuid && !isIdentPart(query.charCodeAt(pos + 36))) {
      pos += 36;
      push('uuid', uuid[0], start, pos);
      continue;
    }
    if (c === 48 && (query[pos + 1] === 'x' || query[pos + 1] === 'X')) {
      pos += 2;
      while (pos < n && /[0-9a-fA-F]/.test(query[pos]!)) pos++;
      push('hex', query.slice(start, pos), start, pos);
      continue;
    }
    if (isDigit(c) || (c === 45 && isDigit(query.charCodeAt(pos + 1)) && !precededByOperand(tokens))) {
      const dur = DURATION_RE.exec(query.slice(pos, pos + 128));
      if (dur && dur[0].length > 0 && /[a-zA-Zµ]/.test(dur[0]) && !isIdentPart(query.charCodeAt(pos + dur[0].length))) {
        pos += dur[0].length;
        push('duration', dur[0], start, pos);
        continue;
      }
      if (c === 45) pos++;
      while (pos < n && isDigit(query.charCodeAt(pos))) pos++;
      let kind: CqlTokenKind = 'integer';
      if (query[pos] === '.' && isDigit(query.charCodeAt(pos + 1))) {
        kind = 'float';
        pos++;
        while (pos < n && isDigit(query.charCodeAt(pos))) pos++;
      }
      if ((query[pos] === 'e' || query[pos] === 'E') && /^[eE][+-]?\d/.test(query.slice(pos, pos + 3))) {
        kind = 'float';
        pos++;
        if (query[pos] === '+' || query[pos] === '-') pos++;
        while (pos < n && isDigit(query.charCodeAt(pos))) pos++;
      }
      push(kind, query.slice(start, pos), start, pos);
      continue;
    }
    if (c === 80 || c === 112) {
      // ISO-8601 durations: P1D, PT1H (only when the whole word is a duration).
      const dur = DURATION_RE.exec(rest);
      if (dur && dur[0].length > 1 && !isIdentPart(query.charCodeAt(pos + dur[0].length))) {
        pos += dur[0].length;
        push('duration', dur[0], start, pos);
        continue;
      }
    }
    if (isIdentStart(c)) {
      while (pos < n && isIdentPart(query.charCodeAt(pos))) pos++;
      const word = query.slice(start, pos);
      const lower = word.toLowerCase();
      if (lower === 'nan' || lower === 'infinity') push('float', word, start, pos);
      else push('ident', word, start, pos);
      continue;
    }
    if (c === 58 && isIdentStart(query.charCodeAt(pos + 1))) {
      pos++;
      while (pos < n && isIdentPart(query.charCodeAt(pos))) pos++;
      push('named_marker', query.slice(start + 1, pos), start, pos);
      continue;
    }
    if (c === 58 && query.charCodeAt(pos + 1) === 34) {
      const close = query.indexOf('"', pos + 2);
      if (close < 0) throw lexError(n, "mismatched character '<EOF>' expecting '\"'");
      push('named_marker', query.slice(pos + 2, close), start, close + 1);
      pos = close + 1;
      continue;
    }
    const sym = SYMBOLS.find((s) => query.startsWith(s, pos));
    if (sym !== undefined) {
      pos += sym.length;
      push(sym === '?' ? 'marker' : 'symbol', sym, start, pos);
      continue;
    }
    throw lexError(pos, `no viable alternative at character '${query[pos]}'`);
  }
  tokens.push({
    kind: 'eof',
    text: '<EOF>',
    start: n,
    end: n,
    line,
    column: n - lineStart,
    streamIndex: streamStarts.length,
  });
  return { tokens, streamStarts };
}

/** A '-' right after an operand is a minus operator (c = c - 1), not a negative literal's sign. */
function precededByOperand(tokens: readonly CqlToken[]): boolean {
  const last = tokens[tokens.length - 1];
  if (last === undefined) return false;
  if (last.kind === 'symbol') return last.text === ')' || last.text === ']' || last.text === '}';
  return last.kind !== 'marker' && last.kind !== 'named_marker'
    ? last.kind !== 'eof' && isOperandKind(last.kind)
    : true;
}
function isOperandKind(kind: CqlTokenKind): boolean {
  return (
    kind === 'integer' ||
    kind === 'float' ||
    kind === 'quoted' ||
    kind === 'string' ||
    kind === 'uuid' ||
    kind === 'hex' ||
    kind === 'duration' ||
    kind === 'ident'
  );
}
