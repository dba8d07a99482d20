// Operators: binary (logic, comparisons, arithmetic, pointer arithmetic),
// unary, and ++/--. Constant operands fold with the result's width and
// signedness.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { boolType, int64, uint64, isInteger, isSigned, sizeOf, storageType, typeName } from '../../types/index.ts';
import { constantOf, foldArith, foldCompare } from './comptime.ts';
import { checkAddressOf } from './address-of.ts';
import { checkConditionType } from './conditions.ts';
import type { InstanceChecker } from './instance.ts';
import { mapRead } from './maps.ts';
import { pointeeType, pointerStep } from './members.ts';

export function checkBinary(c: InstanceChecker, e: A.Binary): ValueType {
  const l = c.expr(e.left);
  const r = c.expr(e.right);
  const cl = constantOf(c, e.left);
  const cr = constantOf(c, e.right);
  switch (e.op) {
    case '&&':
    case '||':
      checkConditionType(e.left, l);
      checkConditionType(e.right, r);
      return boolType;
    case '==':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return comparison(c, e, l, r, cl, cr);
    default:
      return arithmetic(c, e, l, r, cl, cr);
  }
}

function comparison(c: InstanceChecker, e: A.Binary, l: ValueType, r: ValueType, cl: bigint | undefined, cr: bigint | undefined): ValueType {
  if (l.kind === 'string' && r.kind === 'string') {
    if (e.op !== '==' && e.op !== '!=') throw errorAt(e.span, `Operator ${e.op} is not supported on strings`);
    const sl = c.result.strings.get(e.left);
    const sr = c.result.strings.get(e.right);
    if (sl !== undefined && sr !== undefined) c.result.constants.set(e, (sl === sr) === (e.op === '==') ? 1n : 0n);
    return boolType;
  }
  if (l.kind === 'array' && r.kind === 'array') return arrayComparison(e, l, r);
  if (l.kind === 'buffer' && r.kind === 'buffer') {
    // Equal when of one length with the same bytes, as upstream.
    if (e.op !== '==' && e.op !== '!=') throw errorAt(e.span, `Operator ${e.op} is not supported on buffers`);
    return boolType;
  }
  if (!numeric(l) || !numeric(r)) {
    throw errorAt(e.span, `Type mismatch for '${e.op}': comparing ${typeName(l)} with ${typeName(r)}`);
  }
  if (l.kind === 'pointer' && r.kind === 'pointer' && l.pointee !== r.pointee) {
    c.warnings.warning(e.span, `comparison of distinct pointer types: ${l.pointee}, ${r.pointee}`);
  }
  if (cl !== undefined && cr !== undefined) c.result.constants.set(e, foldCompare(e.op, cl, cr) ? 1n : 0n);
  return boolType;
}

function arithmetic(c: InstanceChecker, e: A.Binary, l: ValueType, r: ValueType, cl: bigint | undefined, cr: bigint | undefined): ValueType {
  if (!numeric(l) || !numeric(r)) {
    throw errorAt(e.span, `Type mismatch for '${e.op}': ${typeName(l)} and ${typeName(r)}`);
  }
  if (l.kind === 'pointer' || r.kind === 'pointer') return pointerArithmetic(c, e, l, r);
  // A non-negative literal takes the other side's signedness (`elapsed / 1000` stays unsigned).
  const lUnsigned = !isSigned(l) || (cl !== undefined && cl >= 0n);
  const rUnsigned = !isSigned(r) || (cr !== undefined && cr >= 0n);
  const unsigned = lUnsigned && rUnsigned && (!isSigned(l) || !isSigned(r)) && e.op !== '-';
  const t = unsigned ? uint64 : int64;
  if (cl !== undefined && cr !== undefined) {
    const v = foldArith(e.op, cl, cr);
    if (v !== undefined) c.result.constants.set(e, BigInt[unsigned ? 'asUintN' : 'asIntN'](64, v));
  }
  return t;
}

/** `a == b`, `a != b` of integer arrays of one type (element by element), as bpftrace. */
function arrayComparison(e: A.Binary, l: ArrayValue, r: ArrayValue): ValueType {
  if (e.op !== '==' && e.op !== '!=') throw errorAt(e.span, `The ${e.op} operator cannot be used on arrays.`);
  if (l.length !== r.length) throw errorAt(e.span, 'Only arrays of same size support comparison operators.');
  if (!isInteger(l.element) || typeName(l) !== typeName(r)) throw errorAt(e.span, 'Only arrays of same sized integer support comparison operators.');
  return boolType;
}

type ArrayValue = Extract<ValueType, { kind: 'array' }>;

/**
 * Pointer arithmetic, as bpftrace has it: `p + n`, `n + p` and `p - n` move
 * by n elements and stay pointers; anything else on a pointer is refused.
 */
function pointerArithmetic(c: InstanceChecker, e: A.Binary, l: ValueType, r: ValueType): ValueType {
  const pointer = l.kind === 'pointer' ? l : r;
  const other = l.kind === 'pointer' ? r : l;
  const moves = other.kind !== 'pointer' && (e.op === '+' || (e.op === '-' && l.kind === 'pointer'));
  if (!moves) throw errorAt(e.span, `The ${e.op} operator can not be used on expressions of types ${typeName(l)}, ${typeName(r)}`);
  c.result.pointerSteps.set(e, pointerStep(c, pointer));
  return pointer;
}

function numeric(t: ValueType): boolean {
  return isInteger(t) || t.kind === 'bool' || t.kind === 'pointer';
}

export function checkUnary(c: InstanceChecker, e: A.Unary): ValueType {
  const t = c.expr(e.operand);
  const n = constantOf(c, e.operand);
  switch (e.op) {
    case '!':
      checkConditionType(e.operand, t);
      if (n !== undefined) c.result.constants.set(e, n === 0n ? 1n : 0n);
      return boolType;
    case '-':
      if (!isInteger(t)) throw errorAt(e.span, `The - operator needs an integer operand, got ${typeName(t)}`);
      if (n !== undefined) c.result.constants.set(e, BigInt.asIntN(64, -n));
      return int64;
    case '~':
      if (!isInteger(t)) throw errorAt(e.span, `The ~ operator needs an integer operand, got ${typeName(t)}`);
      if (n !== undefined) c.result.constants.set(e, BigInt[t.signed ? 'asIntN' : 'asUintN'](64, ~n));
      return storageType(t);
    case '*': {
      const pointee = pointeeType(c, t);
      if (!pointee) throw errorAt(e.span, `The * operator can not be used on expressions of type '${typeName(t)}'`);
      return pointee;
    }
    case '&':
      return checkAddressOf(c, e);
  }
}

/** `$x++`, `--@m[k]`: an integer variable or map (an untyped map becomes int64). */
export function checkUpdate(c: InstanceChecker, e: A.Update): ValueType {
  const t = e.target.kind === 'Variable' ? c.vars.read(e.target) : mapRead(c, e.target);
  if (e.target.kind !== 'Variable') {
    const ref = e.target.kind === 'MapRef' ? e.target : e.target.map;
    const m = c.maps.get(ref.name)!;
    if (!m.value) m.value = { kind: 'plain', type: int64 };
  }
  // A pointer moves by one element, as in C.
  if (t.kind === 'pointer') c.result.pointerSteps.set(e, pointerStep(c, t));
  else if (!isInteger(t)) throw errorAt(e.span, `The ${e.op} operator needs an integer variable or map`);
  return t;
}
