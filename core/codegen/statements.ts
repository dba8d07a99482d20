// Statements: C statements on the emitter's lines. Loops keep track of what
// encloses them, since in a map loop's callback `break` and `continue` are the
// callback's return values; assignments to maps are in map-access.ts.
import type * as A from '../syntax/ast.ts';
import { errorAt } from '../diagnostics/index.ts';
import { isSigned } from '../types/index.ts';
import { compoundValue } from './arithmetic.ts';
import type { ProbeEmitter } from './emitter.ts';
import { assignMap, mapFor } from './map-access.ts';
import { rangeFor } from './range-loop.ts';
import { whileLoop } from './while-loop.ts';

export function emitStmt(em: ProbeEmitter, s: A.Stmt): void {
  switch (s.kind) {
    case 'ExprStmt': {
      // A call whose value nobody reads may have a statement form (delete() then reports a failure).
      const builtin = s.expr.kind === 'Call' ? em.types.builtins.get(s.expr) : undefined;
      if (builtin?.emitStatement && s.expr.kind === 'Call') em.line(`${builtin.emitStatement(s.expr.args, em.emitContext(), s.expr.span)};`);
      else em.line(`${em.expr(s.expr)};`);
      return;
    }
    case 'Discard':
      em.line(`${em.expr(s.expr)};`);
      return;
    case 'Assign':
      if (s.target.kind === 'Variable') assignVariable(em, s, s.target);
      else assignMap(em, s, s.target);
      return;
    case 'LetDecl': {
      const t = em.variableType(s.variable);
      const lvalue = em.variable(s.variable);
      if (em.isBig(t)) {
        em.line(s.value ? `${em.assign(t, lvalue, em.convert(em.expr(s.value), em.typeOf(s.value), t))};` : `bs_big_zero(&${lvalue}, sizeof(${lvalue}));`);
        return;
      }
      const v = s.value ? em.convert(em.expr(s.value), em.typeOf(s.value), t) : `(${em.ctypes.name(t)})${em.zeroInit(t) === '0' ? '0' : '{}'}`;
      em.line(`${lvalue} = ${v};`);
      return;
    }
    case 'If':
      ifStmt(em, s);
      return;
    case 'While':
      whileLoop(em, s);
      return;
    case 'Unroll': {
      const n = Number(em.types.constants.get(s.count) ?? 0n);
      for (let i = 0; i < n; i++) {
        em.line('{');
        em.nested(s.body.statements);
        em.line('}');
      }
      return;
    }
    case 'For':
      if (s.iterable.kind === 'Range') rangeFor(em, s, s.iterable);
      else mapFor(em, s, s.iterable);
      return;
    case 'Break':
      em.line(em.loops[em.loops.length - 1] === 'map' ? 'return 1;' : 'break;');
      return;
    case 'Continue':
      em.line(em.loops[em.loops.length - 1] === 'map' ? 'return 0;' : 'continue;');
      return;
    case 'Return':
      if (em.loops.includes('map')) {
        // Inside a map loop's callback: stop the walk; the probe returns after it (mapFor).
        if (s.value) em.line(`${em.expr(s.value)};`);
        em.line('L->returned = 1;');
        em.line('return 1;');
        return;
      }
      // The program returns the value (upstream's): a test that returns non-zero fails.
      em.line(s.value ? `return (int)(${em.expr(s.value)});` : 'return 0;');
      return;
    case 'Block':
      em.line('{');
      em.nested(s.statements);
      em.line('}');
      return;
    case 'Import':
      throw errorAt(s.span, 'import statements are only allowed at the top level or inside macros');
  }
}

function ifStmt(em: ProbeEmitter, s: A.If): void {
  const taken = em.types.comptimeBranches.get(s);
  if (taken !== undefined) {
    // `if comptime`: only the branch the type pass kept exists.
    if (taken) em.block(s.then.statements);
    else if (s.else?.kind === 'If') ifStmt(em, s.else);
    else if (s.else) em.block(s.else.statements);
    return;
  }
  em.line(`if (${em.cond(s.cond)}) {`);
  em.nested(s.then.statements);
  if (s.else) {
    em.line('} else {');
    em.indent++;
    if (s.else.kind === 'If') ifStmt(em, s.else);
    else em.block(s.else.statements);
    em.indent--;
  }
  em.line('}');
}

function assignVariable(em: ProbeEmitter, s: A.Assign, target: A.Variable): void {
  const t = em.variableType(target);
  const value = em.convert(em.expr(s.value), em.typeOf(s.value), t);
  const lvalue = em.variable(target);
  if (em.isBig(t)) {
    em.line(`${em.assign(t, lvalue, value)};`);
    return;
  }
  const computed = s.op === '=' ? undefined : compoundValue(em, s, lvalue, value, isSigned(t));
  if (computed !== undefined) em.line(`${lvalue} = ${computed};`);
  else em.line(`${lvalue} ${s.op} ${value};`);
}
