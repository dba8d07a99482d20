// Statements: declarations and assignments, branches (`if comptime` prunes
// the branch not taken), loops, and expressions whose values are dropped.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import { int64, isInteger, storageType, tupleType, typeName, unify } from '../../types/index.ts';
import { comptimeCondition, constantOf } from './comptime.ts';
import { condition } from './conditions.ts';
import type { InstanceChecker } from './instance.ts';
import { isLiteralValue } from './literals.ts';
import { pointerStep } from './members.ts';
import { assignToMap, describeValue, mapReadType } from './maps.ts';
import { resolveType } from './type-queries.ts';

export function checkStmt(c: InstanceChecker, s: A.Stmt): void {
  switch (s.kind) {
    case 'ExprStmt':
      exprStatement(c, s.expr);
      return;
    case 'Discard':
      c.expr(s.expr);
      return;
    case 'Assign':
      if (s.target.kind === 'Variable') assignToVariable(c, s, s.target);
      else assignToMap(c, s, s.target);
      return;
    case 'LetDecl':
      letDecl(c, s);
      return;
    case 'If':
      ifStmt(c, s);
      return;
    case 'While':
      condition(c, s.cond);
      loop(c, () => c.block(s.body));
      return;
    case 'Unroll':
      unroll(c, s);
      return;
    case 'For':
      c.vars.scoped(() => forLoop(c, s));
      return;
    case 'Break':
    case 'Continue':
      if (c.loopDepth === 0) throw errorAt(s.span, `${s.kind === 'Break' ? 'break' : 'continue'} statement is not in a loop`);
      return;
    case 'Return':
      if (s.value) probeReturnValue(c, s, s.value);
      return;
    case 'Block':
      c.block(s);
      return;
    case 'Import':
      throw errorAt(s.span, 'import statements are only allowed at the top level or inside macros');
  }
}

/** `return N`: the probe's program returns N (a test fails, a benchmark is skipped), so N must be an integer. */
function probeReturnValue(c: InstanceChecker, s: A.Return, value: A.Expr): void {
  const t = c.expr(value);
  if (!isInteger(t)) throw errorAt(s.span, `Probe return values can only be integers. Found ${typeName(t)}`);
}

/** Most copies of a body unrolling makes: upstream's bound on one unroll, here also on unrolls nested in each other. */
const MAX_UNROLL = 100;

/** `unroll (n) { }`: codegen writes the body out n times, once more for each enclosing unroll. */
function unroll(c: InstanceChecker, s: A.Unroll): void {
  const n = constantOf(c, s.count);
  if (n === undefined) throw errorAt(s.count.span, 'unroll count must be a constant integer');
  // Upstream's words for each bound.
  if (n < 1n) throw errorAt(s.count.span, 'unroll minimum value is 1');
  if (n > BigInt(MAX_UNROLL)) throw errorAt(s.count.span, `unroll maximum value is ${MAX_UNROLL}`);
  const outer = c.unrollCopies;
  const copies = outer * Number(n);
  if (copies > MAX_UNROLL) {
    throw errorAt(s.count.span, `nested unrolls would write this body out ${copies} times (${outer} × ${n}): at most ${MAX_UNROLL} in all`);
  }
  c.unrollCopies = copies;
  try {
    c.block(s.body);
  } finally {
    c.unrollCopies = outer;
  }
}

function letDecl(c: InstanceChecker, s: A.LetDecl): void {
  if (c.vars.lookup(s.variable.name)) throw errorAt(s.variable.span, `Variable ${s.variable.name} was already declared`);
  const declared = s.type ? resolveType(c, s.type) : undefined;
  const valueType = s.value ? c.expr(s.value) : undefined;
  let t = declared ?? valueType ?? int64;
  if (declared && valueType && !unify(declared, valueType)) {
    throw errorAt(s.span, `Type mismatch for ${s.variable.name}: trying to assign value of type '${typeName(valueType)}' when variable already has a type '${typeName(declared)}'`);
  }
  if (declared) t = declared;
  else if (s.value && isLiteralValue(s.value)) t = storageType(t);
  c.vars.define(s.variable, t);
  if (declared) c.vars.markDeclared(s.variable);
  else if (!s.value) c.vars.markUntyped(s.variable);
}

function ifStmt(c: InstanceChecker, s: A.If): void {
  if (s.comptime) {
    // The untaken branch is dropped before it is checked, so it may hold
    // code that is only valid elsewhere (fail(), other probe types).
    const taken = comptimeCondition(c, s.cond);
    c.result.comptimeBranches.set(s, taken);
    if (taken) c.block(s.then);
    else if (s.else) elseBranch(c, s.else);
    return;
  }
  condition(c, s.cond);
  c.block(s.then);
  if (s.else) elseBranch(c, s.else);
}

function elseBranch(c: InstanceChecker, e: A.If | A.Block): void {
  if (e.kind === 'If') c.stmt(e);
  else c.block(e);
}

function loop(c: InstanceChecker, body: () => void): void {
  c.loopDepth++;
  try {
    body();
  } finally {
    c.loopDepth--;
  }
}

function forLoop(c: InstanceChecker, s: A.For): void {
  if (s.iterable.kind === 'Range') {
    const from = c.expr(s.iterable.from);
    const to = c.expr(s.iterable.to);
    if (!isInteger(from) || !isInteger(to)) throw errorAt(s.iterable.span, 'Loop range requires integer bounds');
    c.vars.define(s.variable, int64);
  } else {
    const m = c.maps.get(s.iterable.name);
    if (!m?.value) {
      if (c.strict) throw errorAt(s.iterable.span, `Undefined map: ${s.iterable.name}`);
      c.vars.define(s.variable, tupleType([int64, int64]));
    } else {
      const valueType = mapReadType(m.value);
      if (!valueType) throw errorAt(s.iterable.span, `Loop over map ${s.iterable.name} of type ${describeValue(m.value)} is not supported`);
      const keyType = m.keyType ?? int64;
      c.vars.define(s.variable, tupleType([keyType, valueType]));
    }
  }
  const mapLoop = s.iterable.kind === 'MapRef';
  if (mapLoop) c.mapLoopDepth++;
  try {
    loop(c, () => c.block(s.body));
  } finally {
    if (mapLoop) c.mapLoopDepth--;
  }
}

function assignToVariable(c: InstanceChecker, s: A.Assign, target: A.Variable): void {
  const t = c.expr(s.value);
  if (s.op !== '=') {
    const prev = c.vars.read(target);
    // `$p += n` moves a pointer by n elements, as in C.
    if (prev.kind === 'pointer' && isInteger(t) && (s.op === '+=' || s.op === '-=')) c.result.pointerSteps.set(s, pointerStep(c, prev));
    else if (!isInteger(prev) || !isInteger(t)) throw errorAt(s.span, `The ${s.op} operator needs integer operands`);
    return;
  }
  if (t.kind === 'none') throw errorAt(s.value.span, 'Value has no type and cannot be assigned');
  // A variable takes the type of its first value (`$a = (uint16)7` is a
  // uint16); a bare literal gives int64, as `$i = 0` must hold any count.
  c.vars.define(target, isLiteralValue(s.value) ? storageType(t) : t);
}

function exprStatement(c: InstanceChecker, e: A.Expr): void {
  const t = c.expr(e);
  const isEffect = e.kind === 'Call' || e.kind === 'Update' || e.kind === 'BlockExpr' || e.kind === 'IfExpr';
  if (!isEffect && t.kind !== 'none') c.warnings.warning(e.span, 'Return value discarded.');
}
