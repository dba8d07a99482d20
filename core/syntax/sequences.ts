// Growing sequences for the grammar's postprocessors, in constant time per
// element. nearley runs a rule's postprocessor each time the rule completes,
// and a left-recursive list (`Xs -> X | Xs "," X`) completes once per prefix:
// copying the prefix each time made a list of n elements cost n² (a call with
// 20,000 arguments took minutes). So the lists are persistent cons cells,
// shared by every derivation that extends them, and become arrays only where
// the construct holding them completes (once: at its closing token).
import type * as A from './ast.ts';
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
