// AST construction for types (`uint8`, `struct task_struct *`, `int8[4]`,
// `string[64]`, `typeof(x)`). A type is rebuilt each time nearley completes
// it, once per prefix of its suffixes: the type made for each prefix is kept,
// so `int8**...*` costs one node per `*`, not the whole chain again.
import type { Span } from '../diagnostics/index.ts';
import type * as A from './ast.ts';
import type { Token } from './lexer.ts';
import { isToken, span } from './node-spans.ts';
import type { Seq } from './sequences.ts';

/** A type suffix: `*` or `[N]` / `[]`, with where it ends. */
export type Suffix = { ptr: true; end: Span } | { ptr: false; length?: number; end: Span };

/**
 * Type suffixes (`int8 * [4] *`) as a Seq. A type is built once per prefix of
 * its suffixes, so the type made for each prefix is kept (by the base it was
 * applied to) and the next one only adds its last suffix.
 */
export interface SuffixSeq extends Seq<Suffix> {
  readonly prev: SuffixSeq | null;
  /** Position of this suffix, from 0. */
  readonly index: number;
}

function suffixAppend(prev: SuffixSeq | null, suffix: Suffix): SuffixSeq {
  return { prev, item: suffix, index: prev ? prev.index + 1 : 0 };
}

const SIZED = new Set(['string', 'buffer', 'inet']);

/** Types already made from a suffix prefix, with the base they were applied to. */
const madeTypes = new WeakMap<SuffixSeq, { base: object; type: A.TypeExpr }>();

/** `base` with the suffixes applied in order; `base` must be the same object for every prefix of one type. */
function applySuffixes(base: A.TypeExpr, start: Span, seq: SuffixSeq | null): A.TypeExpr {
  const todo: SuffixSeq[] = [];
  let t = base;
  for (let s = seq; s; s = s.prev) {
    const made = madeTypes.get(s);
    if (made && made.base === base) {
      t = made.type;
      break;
    }
    todo.push(s);
  }
  for (let i = todo.length - 1; i >= 0; i--) {
    const s = todo[i]!;
    t = applySuffix(t, start, s.item, s.index === 0);
    madeTypes.set(s, { base, type: t });
  }
  return t;
}

function applySuffix(t: A.TypeExpr, start: Span, s: Suffix, first: boolean): A.TypeExpr {
  const span: Span = { file: start.file, line: start.line, col: start.col, endLine: s.end.endLine, endCol: s.end.endCol };
  if (s.ptr) return { kind: 'PointerType', span, pointee: t };
  if (first && t.kind === 'NamedType' && SIZED.has(t.name) && s.length !== undefined) {
    return { kind: 'NamedType', span, name: t.name, size: s.length };
  }
  const arr: A.ArrayType = { kind: 'ArrayType', span, element: t };
  if (s.length !== undefined) arr.length = s.length;
  return arr;
}

/** `*`, `[N]` or `[]` after the suffixes so far (data `[prev, '*']` or `[prev, '[', N, ']']`; none: `[]`). */
export function suffixes(d: unknown[]): SuffixSeq | null {
  if (d.length === 0) return null;
  const prev = d[0] as SuffixSeq | null;
  if (d.length === 2) return suffixAppend(prev, { ptr: true, end: span(d[1] as Token) });
  const n = d[2] as Token | null;
  return suffixAppend(prev, n ? { ptr: false, end: span(d[3] as Token), length: Number(n.int ?? 0n) } : { ptr: false, end: span(d[3] as Token) });
}

/** Types named by a bare token (`%ident`, or `%ident *`), one node per token: suffixes are applied to the same base each time. */
const tokenTypes = new WeakMap<Token, A.TypeExpr>();

function tokenType(key: Token, make: () => A.TypeExpr): A.TypeExpr {
  let t = tokenTypes.get(key);
  if (!t) tokenTypes.set(key, (t = make()));
  return t;
}

/** `base suffixes`, or `ident * suffixes` (data: [ident, '*', suffixes]). */
export function type(d: unknown[]): A.TypeExpr {
  const base = d[0] as A.TypeExpr | Token;
  const start = span(base);
  const named = (t: Token) => tokenType(t, () => namedType([t]));
  if (d.length === 3) {
    const star = d[1] as Token;
    const pointer = tokenType(star, () => ({ kind: 'PointerType', span: span(base, star), pointee: named(base as Token) }));
    return applySuffixes(pointer, start, d[2] as SuffixSeq | null);
  }
  return applySuffixes(isToken(base) ? named(base) : base, start, d[1] as SuffixSeq | null);
}

export function namedType(d: unknown[]): A.NamedType {
  const t = d[0] as Token;
  return { kind: 'NamedType', span: span(t), name: t.text };
}

export function taggedType(d: unknown[]): A.NamedType {
  const kw = (d[0] as Token[])[0]!;
  const name = d[1] as Token;
  return { kind: 'NamedType', span: span(kw, name), name: `${kw.text} ${name.text}` };
}

export function typeofType(d: unknown[]): A.TypeofType {
  return { kind: 'TypeofType', span: span(d[0] as Token, d[3] as Token), target: d[2] as A.TypeExpr | A.Expr };
}
