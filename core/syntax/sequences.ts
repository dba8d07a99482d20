// Growing sequences for the grammar's postprocessors, in constant time per
// element. nearley runs a rule's postprocessor each time the rule completes,
// and a left-recursive list (`Xs -> X | Xs "," X`) completes once per prefix:
// copying the prefix each time made a list of n elements cost n² (a call with
// 20,000 arguments took minutes). So the lists are persistent cons cells,
// shared by every derivation that extends them, and become arrays only where
// the construct holding them completes (once: at its closing token).
import type * as A from './ast.ts';
import type { Span } from '../diagnostics/index.ts';
import { BINARY_PRECEDENCE } from './precedence.ts';

/** A persistent list: the last element and the list before it. */
export interface Seq<T> {
  readonly prev: Seq<T> | null;
  readonly item: T;
}

/** `X` or `Xs , X` (data `[x]` or `[xs, sep, x]`) as a Seq. */
export function seqList(d: unknown[]): Seq<unknown> {
  return d.length === 1 ? { prev: null, item: d[0] } : { prev: d[0] as Seq<unknown>, item: d[2] };
}

/** `Xs X` (data `[xs, x]`, `xs` null when empty) as a Seq. */
export function seqAppend(d: unknown[]): Seq<unknown> {
  return { prev: d[0] as Seq<unknown> | null, item: d[1] };
}

/** The elements of a Seq, first to last; `null` (an empty list) gives none. */
export function seqItems<T>(s: Seq<T> | null): T[] {
  const out: T[] = [];
  for (let p = s; p; p = p.prev) out.push(p.item);
  return out.reverse();
}

/**
 * A binary-operator chain read so far (`a + b * c`), folded as it grows by
 * operator precedence (a shunting yard): `pending` holds left operands whose
 * operator binds more loosely than anything above it, so it is never deeper
 * than the number of precedence levels, and folding the chain at any point
 * costs that much at most. Every operator is left-associative.
 */
export interface BinaryChain {
  /** The rightmost operand. */
  readonly operand: A.Expr;
  readonly pending: PendingOperator | null;
}

interface PendingOperator {
  readonly left: A.Expr;
  readonly op: A.BinaryOp;
  readonly below: PendingOperator | null;
}

type MakeBinary = (left: A.Expr, op: A.BinaryOp, right: A.Expr) => A.Expr;

export function chainOf(operand: A.Expr): BinaryChain {
  return { operand, pending: null };
}

/** The chain followed by `op operand`: operators binding at least as tightly as `op` are folded first. */
export function chainWith(chain: BinaryChain, op: A.BinaryOp, operand: A.Expr, make: MakeBinary): BinaryChain {
  const prec = BINARY_PRECEDENCE[op];
  let right = chain.operand;
  let p = chain.pending;
  for (; p && BINARY_PRECEDENCE[p.op] >= prec; p = p.below) right = make(p.left, p.op, right);
  return { operand, pending: { left: right, op, below: p } };
}

/** The expression a chain denotes. */
export function foldChain(chain: BinaryChain, make: MakeBinary): A.Expr {
  let right = chain.operand;
  for (let p = chain.pending; p; p = p.below) right = make(p.left, p.op, right);
  return right;
}

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

export function suffixAppend(prev: SuffixSeq | null, suffix: Suffix): SuffixSeq {
  return { prev, item: suffix, index: prev ? prev.index + 1 : 0 };
}

const SIZED = new Set(['string', 'buffer', 'inet']);

/** Types already made from a suffix prefix, with the base they were applied to. */
const madeTypes = new WeakMap<SuffixSeq, { base: object; type: A.TypeExpr }>();

/** `base` with the suffixes applied in order; `base` must be the same object for every prefix of one type. */
export function applySuffixes(base: A.TypeExpr, start: Span, seq: SuffixSeq | null): A.TypeExpr {
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
