// The syntax room's door: parse bpftrace text into the AST.
export * from './ast.ts';
export { parse, parseDetailed, type ParseResult } from './parser.ts';
export { tokenize, type Token } from './lexer.ts';
export { decodeInteger, decodeString } from './literals.ts';
