// The nesting limit. Every pass walks the AST recursively, and so does clang
// over the C made from it, so a program may nest its blocks, statements and
// expressions at most MAX_NESTING_DEPTH levels deep (docs/limits.md). The
// parser measures each node as it is built and stops at the first one over
// the limit, so no deeper tree is ever made (and nearley's work on nested
// constructs stays bounded); passes that build new trees (macro expansion)
// check their result with checkNesting.
import type * as A from './ast.ts';
import { errorAt, type Span } from '../diagnostics/index.ts';

/**
 * The most levels a node may hold, itself included: `1 + 2` is 2 levels,
 * `{ $x = 1 + 2; }` is 4. Real programs stay under 20; clang crashes on the C
 * of some constructs past about 150 (a chain of `->` reads), the passes here
 * past about 1,000.
 */
export const MAX_NESTING_DEPTH = 64;

/** Heights of the nodes measured so far (leaves are 1). */
const heights = new WeakMap<object, number>();

function isNode(x: unknown): x is A.Node {
  return typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string';
}

/** Keys of a node that hold no nodes. */
function skipped(key: string): boolean {
  return key === 'span' || key === 'calleeSpan' || key === 'kind';
}

/**
 * The height of what a value holds: a node's own height, the tallest node in
 * an array or plain record (`{ name, value }`), 0 for none; -1 when a node in
 * it is not measured yet. (The parser's common case: no allocation.)
 */
function heldHeight(v: object): number {
  if (isNode(v)) return heights.get(v) ?? -1;
  let max = 0;
  if (Array.isArray(v)) {
    for (const x of v) {
      if (typeof x !== 'object' || x === null) continue;
      const h = heldHeight(x);
      if (h < 0) return -1;
      if (h > max) max = h;
    }
    return max;
  }
  for (const key in v) {
    const x = (v as Record<string, unknown>)[key];
    if (typeof x !== 'object' || x === null || skipped(key)) continue;
    const h = heldHeight(x);
    if (h < 0) return -1;
    if (h > max) max = h;
  }
  return max;
}

/** 1 + the tallest child, or -1 when a child is not measured yet. */
function heightFromChildren(node: object): number {
  let h = 1;
  for (const key in node) {
    const v = (node as Record<string, unknown>)[key];
    if (typeof v !== 'object' || v === null || skipped(key)) continue;
    const c = heldHeight(v);
    if (c < 0) return -1;
    if (c + 1 > h) h = c + 1;
  }
  return h;
}

/** The nodes directly below `node`, through arrays and plain records. */
function childNodes(node: object): A.Node[] {
  const out: A.Node[] = [];
  const pending: unknown[] = [];
  for (const key in node) if (!skipped(key)) pending.push((node as Record<string, unknown>)[key]);
  while (pending.length > 0) {
    const x = pending.pop();
    if (typeof x !== 'object' || x === null) continue;
    if (Array.isArray(x)) pending.push(...x);
    else if (isNode(x)) out.push(x);
    else for (const key in x) if (key !== 'span') pending.push((x as Record<string, unknown>)[key]);
  }
  return out;
}

/** The first line of a span, narrowed to its first character: where a construct that nests too deep begins. */
function start(span: Span): Span {
  return { file: span.file, line: span.line, col: span.col, endLine: span.line, endCol: span.col + 1, ...(span.expandedFrom ? { expandedFrom: span.expandedFrom } : {}) };
}

function tooDeep(node: A.Node): never {
  throw errorAt(start(node.span), `nesting too deep: more than ${MAX_NESTING_DEPTH} levels of blocks, statements and expressions`);
}

/**
 * The height of `root`, measuring (without recursion) whatever below it is
 * not measured yet. Throws a located error at the first node, innermost
 * first, whose height passes the limit.
 */
export function measureNesting(root: A.Node): number {
  const known = heights.get(root);
  if (known !== undefined) return known;
  const direct = heightFromChildren(root);
  if (direct > MAX_NESTING_DEPTH) tooDeep(root);
  if (direct > 0) {
    heights.set(root, direct);
    return direct;
  }
  // Post-order over the unmeasured nodes: a node is measured once its children are.
  const stack: { node: A.Node; children: A.Node[] | null }[] = [{ node: root, children: null }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.children === null) {
      top.children = childNodes(top.node);
      for (const c of top.children) if (!heights.has(c)) stack.push({ node: c, children: null });
      continue;
    }
    stack.pop();
    if (heights.has(top.node)) continue;
    let h = 1;
    for (const c of top.children) h = Math.max(h, heights.get(c)! + 1);
    if (h > MAX_NESTING_DEPTH) tooDeep(top.node);
    heights.set(top.node, h);
  }
  return heights.get(root)!;
}

/** Checks a whole program (its items; the program node itself is not a level). */
export function checkNesting(program: A.Program): void {
  for (const item of program.items) measureNesting(item);
}

/** Measures a grammar postprocessor's result when it is an AST node (parser.ts applies this to every rule). */
export function measureParsed(result: unknown): void {
  if (isNode(result) && result.kind !== 'Program') measureNesting(result);
}
