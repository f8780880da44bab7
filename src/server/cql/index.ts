export { parseStatement } from './parser.js';
export { lex } from './lexer.js';
export type { LexResult } from './lexer.js';
export type { CqlToken, CqlTokenKind } from './token.js';
export type * from './ast.js';
