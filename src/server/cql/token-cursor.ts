import type { CqlSyntaxError } from '../../protocol/errors/index.js';
import { lex } from './lexer.js';
import { SyntaxErrorFactory } from './syntax-error.js';
import type { CqlToken } from './token.js';

/** Cassandra's reserved keywords (Parser.g `unreserved_keyword` is everything else): never identifiers. */
const RESERVED = new Set([
  'add',
  'allow',
  'alter',
  'and',
  'apply',
  'asc',
  'authorize',
  'batch',
  'begin',
  'by',
  'columnfamily',
  'create',
  'delete',
  'desc',
  'describe',
  'drop',
  'entries',
  'execute',
  'from',
  'full',
  'grant',
  'if',
  'in',
  'index',
  'infinity',
  'insert',
  'into',
  'keyspace',
  'limit',
  'modify',
  'nan',
  'norecursive',
  'not',
  'null',
  'of',
  'on',
  'or',
  'order',
  'primary',
  'rename',
  'replace',
  'revoke',
  'schema',
  'select',
  'set',
  'table',
  'to',
  'token',
  'truncate',
  'unlogged',
  'update',
  'use',
  'using',
  'view',
  'where',
  'with',
]);

/**
 * A cursor over the significant tokens with the small vocabulary recursive descent needs, and
 * ANTLR-style error messages (`expecting K_FROM`, `expecting ')'`, `expecting IDENT`).
 */
export class TokenCursor {
  protected readonly tokens: CqlToken[];
  protected pos = 0;
  protected readonly errors: SyntaxErrorFactory;

  constructor(protected readonly query: string) {
    const { tokens, streamStarts } = lex(query);
    this.tokens = tokens;
    this.errors = new SyntaxErrorFactory(query, tokens, streamStarts);
  }

  protected peek(ahead = 0): CqlToken {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  protected next(): CqlToken {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  /** True when the next token is the keyword `word` (case-insensitive). */
  protected isKeyword(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  protected acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.pos++;
    return true;
  }

  protected expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.errors.mismatched(this.peek(), `K_${word.toUpperCase()}`);
  }

  protected isSymbol(sym: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'symbol' && t.text === sym;
  }

  protected acceptSymbol(sym: string): boolean {
    if (!this.isSymbol(sym)) return false;
    this.pos++;
    return true;
  }

  protected expectSymbol(sym: string): void {
    if (!this.acceptSymbol(sym)) throw this.errors.mismatched(this.peek(), `'${sym}'`);
  }

  /** True when the next token can be an identifier (bare non-reserved word or quoted). */
  protected isIdentifier(ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'quoted' || (t.kind === 'ident' && !RESERVED.has(t.text.toLowerCase()));
  }

  /** An identifier: bare ones fold to lower case, double-quoted ones keep their case (CQL rule). */
  protected identifier(): string {
    const t = this.peek();
    if (t.kind === 'quoted') {
      this.pos++;
      return t.text;
    }
    if (t.kind === 'ident' && !RESERVED.has(t.text.toLowerCase())) {
      this.pos++;
      return t.text.toLowerCase();
    }
    throw this.fail(t);
  }

  /** `[keyspace.]name`. */
  protected qualifiedName(): { keyspace: string | undefined; name: string } {
    const first = this.identifier();
    if (this.acceptSymbol('.')) return { keyspace: first, name: this.identifier() };
    return { keyspace: undefined, name: first };
  }

  /** The error for an unexpected token where several alternatives were possible. */
  protected fail(t: CqlToken = this.peek()): CqlSyntaxError {
    if (t.kind === 'eof') return this.errors.mismatched(t, 'IDENT');
    return this.errors.noViableAlternative(t);
  }

  protected expectEnd(): void {
    this.acceptSymbol(';');
    const t = this.peek();
    if (t.kind !== 'eof') throw this.errors.mismatched(t, 'EOF');
  }
}
