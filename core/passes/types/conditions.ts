// Conditions (`if`, `while`, predicates, `&&`, `!`, `?:`): integers, bools or pointers.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { isInteger, typeName } from '../../types/index.ts';
import type { InstanceChecker } from './instance.ts';

export function checkConditionType(e: A.Expr, t: ValueType): void {
  if (!isInteger(t) && t.kind !== 'bool' && t.kind !== 'pointer') {
    throw errorAt(e.span, `Invalid condition: expected integer, bool or pointer, got ${typeName(t)}`);
  }
}

export function condition(c: InstanceChecker, e: A.Expr): void {
  checkConditionType(e, c.expr(e));
}
