/**
 * Splits CQL text into statements at `;`, as cqlsh reads a file: a `;` inside a string
 * (`'it''s'`), a quoted identifier (`"a;b"`), a `$$ ... $$` string or a comment (`-- ...`,
 * `// ...`, `/* ... *\/`) does not end a statement. Comments are kept in the statement text
 * (the server ignores them); statements that hold nothing but comments and blanks are dropped.
 */

/** One statement of a script, and the 1-based line it starts on (for messages). */
export interface ScriptStatement {
  readonly text: string;
  readonly line: number;
}

/** Where a scan of CQL text stands between two characters. */
type Mode = 'code' | 'single' | 'double' | 'dollar' | 'line-comment' | 'block-comment';

/** The result of {@link splitStatements}: the complete statements, and what follows the last `;`. */
export interface SplitScript {
  readonly statements: ScriptStatement[];
  /** Text after the last complete statement (trimmed; '' when none): an unfinished statement. */
  readonly rest: string;
  /** The line `rest` starts on. */
  readonly restLine: number;
  /** True when `rest` ends inside a string, quoted identifier or block comment. */
  readonly restOpen: boolean;
}

/** True when `text` has something besides comments and whitespace. */
function hasCode(text: string): boolean {
  return stripComments(text).trim() !== '';
}

/** `text` without its comments (strings and quoted identifiers kept as they are). */
function stripComments(text: string): string {
  let out = '';
  let mode: Mode = 'code';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    switch (mode) {
      case 'code':
        if ((c === '-' && next === '-') || (c === '/' && next === '/')) {
          mode = 'line-comment';
          i++;
        } else if (c === '/' && next === '*') {
          mode = 'block-comment';
          i++;
        } else {
          if (c === "'") mode = 'single';
          else if (c === '"') mode = 'double';
          else if (c === '$' && next === '$') {
            mode = 'dollar';
            out += c;
            i++;
          }
          out += c;
        }
        break;
      case 'line-comment':
        if (c === '\n') {
          mode = 'code';
          out += c;
        }
        break;
      case 'block-comment':
        if (c === '*' && next === '/') {
          mode = 'code';
          i++;
          out += ' ';
        }
        break;
      default:
        out += c;
        if ((mode === 'single' && c === "'") || (mode === 'double' && c === '"')) mode = 'code';
        else if (mode === 'dollar' && c === '$' && next === '$') {
          out += next;
          i++;
          mode = 'code';
        }
    }
  }
  return out;
}

/** Splits `text` into statements (see the file comment). A doubled quote inside a string stays in it. */
export function splitStatements(text: string): SplitScript {
  const statements: ScriptStatement[] = [];
  let mode: Mode = 'code';
  let start = 0;
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '\n') line++;
    switch (mode) {
      case 'code':
        if (c === ';') {
          const piece = text.slice(start, i);
          if (hasCode(piece)) statements.push({ text: piece.trim(), line: startLine + leadingLines(piece) });
          start = i + 1;
          startLine = line;
        } else if (c === "'") mode = 'single';
        else if (c === '"') mode = 'double';
        else if (c === '$' && next === '$') {
          mode = 'dollar';
          i++;
        } else if ((c === '-' && next === '-') || (c === '/' && next === '/')) mode = 'line-comment';
        else if (c === '/' && next === '*') {
          mode = 'block-comment';
          i++;
        }
        break;
      case 'single':
        // '' inside a string is an escaped quote: leaving and re-entering the string does the same
        if (c === "'") mode = 'code';
        break;
      case 'double':
        if (c === '"') mode = 'code';
        break;
      case 'dollar':
        if (c === '$' && next === '$') {
          mode = 'code';
          i++;
        }
        break;
      case 'line-comment':
        if (c === '\n') mode = 'code';
        break;
      case 'block-comment':
        if (c === '*' && next === '/') {
          mode = 'code';
          i++;
        }
        break;
    }
  }
  const rest = text.slice(start);
  const open = mode === 'single' || mode === 'double' || mode === 'dollar' || mode === 'block-comment';
  return {
    statements,
    rest: hasCode(rest) || open ? rest.trim() : '',
    restLine: startLine + leadingLines(rest),
    restOpen: open,
  };
}

/** Lines before the first non-blank character of `piece`. */
function leadingLines(piece: string): number {
  const m = /^\s*/.exec(piece)![0];
  let n = 0;
  for (const ch of m) if (ch === '\n') n++;
  return n;
}
