import { CqlSyntaxError, ErrorCode } from '../../protocol/errors/index.js';
import type { CqlToken } from './token.js';

/**
 * Builds Cassandra-shaped syntax errors. Cassandra's `ErrorCollector` prefixes ANTLR's message with
 * `line L:C` and appends a snippet of the query around the offending token: up to 10 stream tokens
 * before it, the offending token in [brackets], `...` where the snippet does not reach the start or
 * end of the query. The recordings show `line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)`.
 */
export class SyntaxErrorFactory {
  constructor(
    private readonly query: string,
    private readonly tokens: readonly CqlToken[],
    /** Start offsets of every stream token (significant and hidden), by stream index. */
    private readonly streamStarts: readonly number[],
  ) {}

  noViableAlternative(token: CqlToken): CqlSyntaxError {
    return this.make(token, `no viable alternative at input ${display(token)}`);
  }

  mismatched(token: CqlToken, expecting: string): CqlSyntaxError {
    return this.make(token, `mismatched input ${display(token)} expecting ${expecting}`);
  }

  /** A free-form message at a token (used for the few rules Cassandra checks in the parser itself). */
  custom(message: string): CqlSyntaxError {
    return new CqlSyntaxError(ErrorCode.SYNTAX_ERROR, message);
  }

  private make(token: CqlToken, message: string): CqlSyntaxError {
    let text = `line ${token.line}:${token.column} ${message}`;
    if (token.kind !== 'eof') text += this.snippet(token);
    return new CqlSyntaxError(ErrorCode.SYNTAX_ERROR, text);
  }

  private snippet(offending: CqlToken): string {
    const fromIndex = Math.max(0, offending.streamIndex - 10);
    const from = this.streamStarts[fromIndex] ?? offending.start;
    const q = this.query;
    const startsAtQueryStart = from === 0;
    const endsAtQueryEnd = offending.end >= q.replace(/\s+$/, '').length;
    const body = q.slice(from, offending.start) + '[' + q.slice(offending.start, offending.end) + ']';
    return ` (${startsAtQueryStart ? '' : '...'}${body.replace(/\n/g, '')}${endsAtQueryEnd ? '' : '...'})`;
  }

  get tokenList(): readonly CqlToken[] {
    return this.tokens;
  }
}

/** ANTLR's token display: the text in single quotes, `<EOF>` at the end of input. */
function display(token: CqlToken): string {
  if (token.kind === 'eof') return "'<EOF>'";
  if (token.kind === 'string') return `'${token.text}'`;
  if (token.kind === 'quoted') return `'"${token.text}"'`;
  return `'${token.text}'`;
}
