// The syntax room's door: parse bpftrace text into the AST.
export * from './ast.ts';
export { parse, parseDetailed, type ParseResult } from './parser.ts';
export { tokenize, KEYWORDS, TYPE_NAMES, type Token } from './lexer.ts';
export { decodeInteger, decodeString, type Decoded, type LiteralError } from './literals.ts';
export { BINARY_PRECEDENCE, BINARY_OPERATORS, MAX_BINARY_PRECEDENCE } from './precedence.ts';
export { MAX_NESTING_DEPTH, checkNesting, measureNesting } from './nesting.ts';
export { isPlainTree, treeFromJson, treeToJson } from './ast-json.ts';
