// Source extents of what the grammar's postprocessors build: tokens, nodes,
// and the parentheses around a node (which widen its extent, not its kind).
import type { Span } from '../diagnostics/index.ts';
import type { Token } from './lexer.ts';

export type Located = Token | { span: Span };

/** Spans of parenthesised expressions, by the node the parentheses hold (outermost pair). */
export const parenSpans = new WeakMap<object, Span>();

export function isToken(x: Located): x is Token {
  return !('kind' in x);
}

/** The extent of a token or node, including any parentheses around the node. */
function extent(x: Located): Span {
  if (isToken(x)) return { file: x.file, line: x.line, col: x.col, endLine: x.endLine, endCol: x.endCol };
  return parenSpans.get(x) ?? x.span;
}

/**
 * The span from the start of `a` to the end of `b`. As bpftrace locates
 * them, an expression that begins with a parenthesised one starts inside the
 * parentheses (`(a + b).f` at `a`) and one that ends with it ends after them.
 */
export function span(a: Located, b: Located = a): Span {
  const s = isToken(a) ? extent(a) : a.span;
  const e = extent(b);
  return { file: s.file, line: s.line, col: s.col, endLine: e.endLine, endCol: e.endCol };
}

/** The last non-null element of a postprocessor's data (optional parts are null). */
export function lastOf(d: unknown[]): Located {
  for (let i = d.length - 1; i >= 0; i--) {
    const x = d[i];
    if (x !== null && x !== undefined) return (Array.isArray(x) ? lastOf(x) : x) as Located;
  }
  throw new Error('empty rule');
}
