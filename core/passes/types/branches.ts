// Expressions that branch or sequence: `c ? a : b` (and `a ?: b`), `if` as an
// expression, and blocks with a value. Their branches unify.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { noneType, typeName, unify } from '../../types/index.ts';
import { checkComptimeIfExpr, copyConstant } from './comptime.ts';
import { checkConditionType, condition } from './conditions.ts';
import type { InstanceChecker } from './instance.ts';

export function checkTernary(c: InstanceChecker, e: A.Ternary): ValueType {
  const cond = c.expr(e.cond);
  if (!e.then) {
    const other = c.expr(e.else);
    const u = unify(cond, other);
    if (!u) throw errorAt(e.span, `Ternary operator branches have different types: ${typeName(cond)} and ${typeName(other)}`);
    return u;
  }
  checkConditionType(e.cond, cond);
  const a = c.expr(e.then);
  const b = c.expr(e.else);
  if (a.kind === 'none' && b.kind === 'none') return noneType;
  const u = unify(a, b);
  if (!u) throw errorAt(e.span, `Ternary operator branches have different types: ${typeName(a)} and ${typeName(b)}`);
  return u;
}

export function checkIfExpr(c: InstanceChecker, e: A.IfExpr): ValueType {
  if (e.comptime) return checkComptimeIfExpr(c, e);
  condition(c, e.cond);
  const a = c.expr(e.then);
  const b = c.expr(e.else);
  const u = unify(a, b);
  if (!u) throw errorAt(e.span, `if expression branches have different types: ${typeName(a)} and ${typeName(b)}`);
  return u;
}

export function checkBlockExpr(c: InstanceChecker, e: A.BlockExpr): ValueType {
  let t: ValueType = noneType;
  c.vars.scoped(() => {
    for (const st of e.statements) c.stmt(st);
    if (e.value) {
      t = c.expr(e.value);
      // Folding a block with statements would drop their side effects.
      if (e.statements.length === 0) copyConstant(c, e.value, e);
    }
  });
  return t;
}
