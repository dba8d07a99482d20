// The formatter's door: canonical bpftrace text from an AST (`--fmt`).
export { formatProgram, formatExpr, formatType, quoteString } from './format.ts';
export { findComments, type SourceComment } from './comments.ts';
