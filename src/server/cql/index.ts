export type * from './ast.js';
export type { LexResult } from './lexer.js';
export { lex } from './lexer.js';
export { parseStatement } from './parser.js';
export type { CqlToken, CqlTokenKind } from './token.js';
