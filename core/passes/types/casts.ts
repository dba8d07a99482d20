// Casts: integer widths and signedness (constants folded), bools, pointers,
// and reinterpreting bytes between integers, strings and arrays.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { isInteger, sizeOf, typeName } from '../../types/index.ts';
import { constantOf } from './comptime.ts';
import type { InstanceChecker } from './instance.ts';
import { resolveType } from './type-queries.ts';
import { isLiteralValue, literalType } from './literals.ts';

export function checkCast(c: InstanceChecker, e: A.Cast): ValueType {
  const from = c.expr(e.expr);
  const to = castTarget(c, e.type, from);
  if (to.kind === 'array' || (to.kind === 'int' && from.kind === 'array')) return reinterpret(c, e, from, to);
  if (to.kind === 'int' || to.kind === 'bool') {
    if (!isInteger(from) && from.kind !== 'bool' && from.kind !== 'pointer') {
      throw errorAt(e.span, `Cannot cast from "${typeName(from)}" to "${typeName(to)}"`);
    }
    const n = constantOf(c, e.expr);
    if (n !== undefined && to.kind === 'int') c.result.constants.set(e, BigInt[to.signed ? 'asIntN' : 'asUintN'](to.size * 8, n));
    return to;
  }
  if (to.kind === 'string' && from.kind === 'string') return to;
  if (to.kind === 'pointer' && (isInteger(from) || from.kind === 'pointer')) {
    negativeLiteralWidth(c, e.expr);
    return pointerCast(c, from, to);
  }
  throw errorAt(e.span, `Cannot cast from "${typeName(from)}" to "${typeName(to)}"`);
}

/**
 * A cast to a pointer points into the memory the operand did: a user pointer
 * stays one, and an integer is an address of the probe's address space
 * (`(struct Foo *)arg0` is user memory in a uprobe, as in bpftrace).
 */
function pointerCast(c: InstanceChecker, from: ValueType, to: Extract<ValueType, { kind: 'pointer' }>): ValueType {
  const user = from.kind === 'pointer' ? from.user : c.inst.provider.addressSpace === 'user';
  return user && !to.user ? { ...to, user: true } : to;
}

/**
 * A negative literal made an address (`(uint8 *)-1`) keeps the smallest
 * signed type that holds it, as upstream types `-1` (int8): the address is
 * then its bytes, zero-extended (0xff), as upstream's int-to-pointer casts are.
 */
function negativeLiteralWidth(c: InstanceChecker, operand: A.Expr): void {
  if (!isLiteralValue(operand) || operand.kind !== 'Unary') return;
  const n = constantOf(c, operand);
  if (n !== undefined) c.result.exprTypes.set(operand, literalType(n));
}

/** Reinterpreting bytes: `(uint8[8])12345`, `(int8[])"abc"`, `(uint64)$bytes` (sizes must match). */
function reinterpret(c: InstanceChecker, e: A.Cast, from: ValueType, to: ValueType): ValueType {
  const bytesOf = (t: ValueType) => (t.kind === 'array' || t.kind === 'string' || t.kind === 'int' ? sizeOf(t) : undefined);
  // An integer literal takes the width the array needs (`(uint8[8])12345`), as upstream.
  const literal = from.kind === 'int' ? c.result.constants.get(e.expr) : undefined;
  const width = sizeOf(to);
  if (literal !== undefined && (width === 1 || width === 2 || width === 4 || width === 8)) {
    const widened: ValueType = { kind: 'int', size: width, signed: (from as { signed: boolean }).signed };
    c.result.exprTypes.set(e.expr, widened);
    return to;
  }
  const fromSize = bytesOf(from);
  if (fromSize === undefined) throw errorAt(e.span, `Cannot cast from "${typeName(from)}" to "${typeName(to)}"`);
  if (fromSize !== sizeOf(to)) {
    throw errorAt(e.span, `Cannot cast from "${typeName(from)}" to "${typeName(to)}": sizes differ (${fromSize} and ${sizeOf(to)} bytes)`);
  }
  return to;
}

/** A cast's target type; `T[]` takes its length from the operand's size. */
function castTarget(c: InstanceChecker, t: A.TypeExpr, from: ValueType): ValueType {
  if (t.kind === 'ArrayType' && t.length === undefined) {
    const element = resolveType(c, t.element);
    const size = from.kind === 'array' || from.kind === 'string' || from.kind === 'int' ? sizeOf(from) : 0;
    const each = sizeOf(element);
    if (each === 0 || size % each !== 0) throw errorAt(t.span, `Cannot cast a ${size}-byte value to an array of ${typeName(element)}`);
    return { kind: 'array', element, length: size / each, size };
  }
  return resolveType(c, t);
}
