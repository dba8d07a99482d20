// Compile-time evaluation: constants folded into the instance's tables,
// `comptime` conditions that pick a branch before the other is checked, and
// the folding rules of comparisons and arithmetic.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { checkConditionType } from './conditions.ts';
import type { InstanceChecker } from './instance.ts';

/** The folded integer value of `e` (checking it first if it has not been), or undefined. */
export function constantOf(c: InstanceChecker, e: A.Expr): bigint | undefined {
  if (!c.result.exprTypes.has(e)) c.expr(e);
  return c.result.constants.get(e);
}

/** Copies a folded constant from one node to another; false if `from` has none. */
export function copyConstant(c: InstanceChecker, from: A.Expr, to: A.Expr): boolean {
  const { constants, strings, records } = c.result;
  const n = constants.get(from);
  if (n !== undefined) {
    constants.set(to, n);
    return true;
  }
  const str = strings.get(from);
  if (str !== undefined) {
    strings.set(to, str);
    return true;
  }
  const rec = records.get(from);
  if (rec) {
    records.set(to, rec);
    return true;
  }
  return false;
}

/**
 * The compile-time value of a checked condition: its folded constant, or for
 * `&&`, `||` and `!` (which do not fold elsewhere) the value their operands
 * decide, as C evaluates them (`is_integer(x) || ...`, a known left side may
 * decide alone); undefined when run-time values decide.
 */
function comptimeTruth(c: InstanceChecker, e: A.Expr): bigint | undefined {
  const v = c.result.constants.get(e);
  if (v !== undefined) return v;
  if (e.kind === 'Unary' && e.op === '!') {
    const inner = comptimeTruth(c, e.operand);
    return inner === undefined ? undefined : inner === 0n ? 1n : 0n;
  }
  // A condition is never run, so neither are a block's statements: a macro's
  // value decides (`kfunc_exist("f")` checks its argument, then has a value).
  if (e.kind === 'BlockExpr' && e.value) return comptimeTruth(c, e.value);
  if (e.kind !== 'Binary' || (e.op !== '&&' && e.op !== '||')) return undefined;
  const left = comptimeTruth(c, e.left);
  if (left !== undefined && (e.op === '&&' ? left === 0n : left !== 0n)) return e.op === '&&' ? 0n : 1n;
  const right = comptimeTruth(c, e.right);
  if (left === undefined || right === undefined) return undefined;
  return right !== 0n ? 1n : 0n;
}

/** A condition that must be known at compile time. */
export function comptimeCondition(c: InstanceChecker, cond: A.Expr): boolean {
  const t = c.expr(cond);
  checkConditionType(cond, t);
  const v = comptimeTruth(c, cond);
  if (v === undefined) throw errorAt(cond.span, 'Unable to evaluate comptime condition: it depends on run-time values');
  return v !== 0n;
}

/** `comptime c ? a : b` checks only the branch taken; `comptime e` must fold. */
export function checkComptime(c: InstanceChecker, e: A.Comptime): ValueType {
  const inner = e.expr;
  if (inner.kind === 'Ternary' && inner.then) {
    const taken = comptimeCondition(c, inner.cond);
    c.result.comptimeBranches.set(inner, taken);
    const branch = taken ? inner.then : inner.else;
    const t = c.expr(branch);
    copyConstant(c, branch, e);
    c.result.exprTypes.set(inner, t);
    return t;
  }
  const t = c.expr(inner);
  if (!copyConstant(c, inner, e)) throw errorAt(e.span, 'Unable to evaluate expression at compile time');
  return t;
}

/** `if comptime c { a } else { b }` as an expression: only the branch taken is checked. */
export function checkComptimeIfExpr(c: InstanceChecker, e: A.IfExpr): ValueType {
  const taken = comptimeCondition(c, e.cond);
  c.result.comptimeBranches.set(e, taken);
  const branch = taken ? e.then : e.else;
  const t = c.expr(branch);
  copyConstant(c, branch, e);
  return t;
}

export function foldCompare(op: string, a: bigint, b: bigint): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}

export function foldArith(op: string, a: bigint, b: bigint): bigint | undefined {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0n ? undefined : a / b;
    case '%': return b === 0n ? undefined : a % b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '<<': return b < 0n || b > 63n ? undefined : a << b;
    case '>>': return b < 0n || b > 63n ? undefined : a >> b;
    default: return undefined;
  }
}
