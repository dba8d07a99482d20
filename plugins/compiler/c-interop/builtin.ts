// A C function of an imported unit as a builtin: `__strstr(h, n, ...)` is
// checked against the function's BTF prototype and emitted as a call of the
// extern function, which the static linker later resolves.
//
// Arguments: integers (any size; bool and pointers too) for integer
// parameters; for pointer parameters `&$var` (the variable's own storage, which
// the function may write: out-parameters), a string value (char pointers
// only: a pointer to a copy on the stack, or to the variable itself when the
// parameter is const), a pointer value, or 0.
import type { Expr, Unary, Variable } from '../../../core/syntax/ast.ts';
import { types, type Builtin, type BuiltinArgNode, type CheckContext, type EmitContext, type ValueType } from '../../../sdk/index.ts';
import type { CParam, CResult } from './signature.ts';
import type { CFunction } from './units.ts';

/** The variable of an `&$var` argument. */
function addressOf(a: BuiltinArgNode): Variable | undefined {
  return a.kind === 'Unary' && (a as Unary).op === '&' && (a as Unary).operand.kind === 'Variable' ? ((a as Unary).operand as Variable) : undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function checkArg(fn: CFunction, p: CParam, i: number, a: BuiltinArgNode, tc: CheckContext): void {
  const which = `${fn.name}(): argument ${i + 1} (${p.decl})`;
  if (a.kind === 'TypeArg') tc.fail(`${which} needs a value, not a type`, a.span);
  const variable = addressOf(a);
  if (p.kind === 'int') {
    if (variable) tc.fail(`${which} is an integer: pass a value, not an address`, a.span);
    const t = tc.typeOf(a as Expr);
    if (!types.isInteger(t) && t.kind !== 'bool' && t.kind !== 'pointer') tc.fail(`${which} must be an integer, got ${types.typeName(t)}`, a.span);
    return;
  }
  if (variable) {
    const t = tc.typeOf(variable);
    const size = types.sizeOf(t);
    if (p.pointeeSize !== undefined && size < p.pointeeSize) {
      tc.fail(`${which} points to ${plural(p.pointeeSize, 'byte')}, but ${variable.name} (${types.typeName(t)}) has ${size}`, a.span);
    }
    return;
  }
  if (a.kind === 'Unary' && (a as Unary).op === '&') tc.fail(`${which}: only the address of a variable (&$name) can be passed`, a.span);
  const t = tc.typeOf(a as Expr);
  if (t.kind === 'string') {
    if (!p.charLike) tc.fail(`${which}: a string can only be passed for a char pointer`, a.span);
    return;
  }
  if (t.kind === 'pointer') return;
  if (types.isInteger(t) && tc.constant(a as Expr) === 0n) return;
  const accepted = p.charLike ? '&$variable, a string, a pointer or 0' : '&$variable, a pointer or 0';
  tc.fail(`${which} must be ${accepted}, got ${types.typeName(t)}`, a.span);
}

function resultType(r: CResult, tc: CheckContext): ValueType {
  switch (r.kind) {
    case 'void':
      return types.noneType;
    case 'int':
      return r.int.bool ? types.boolType : types.intType(r.int.size, r.int.signed);
    case 'pointer': {
      // A kernel struct pointer keeps its BTF type, so the script can read fields through it.
      const kernel = /^(struct|union) /.test(r.pointee) && tc.kernelTypes.available ? tc.kernelTypes.byName(r.pointee) : undefined;
      return kernel ? tc.kernelTypes.pointerTo(kernel) : { kind: 'pointer', pointee: r.pointee };
    }
  }
}

function emitArg(p: CParam, a: Expr, ec: EmitContext): string {
  if (p.kind === 'int') return `((${p.c})(${ec.expr(a)}))`;
  const variable = addressOf(a);
  if (variable) return `((${p.c})&(${ec.expr(variable)}))`;
  const t = ec.typeOf(a);
  if (t.kind === 'string') {
    // A const parameter only reads: a string variable is passed in place; anything else through a stack copy.
    if (p.readOnly && a.kind === 'Variable') return `((${p.c})&(${ec.expr(a)}))`;
    const copy = ec.temp(t);
    return `(${copy} = ${ec.expr(a)}, (${p.c})${copy}.s)`;
  }
  if (t.kind === 'pointer') return `((${p.c})(${ec.expr(a)}))`;
  return `((${p.c})0)`;
}

export function cFunctionBuiltin(fn: CFunction): Builtin {
  return {
    name: fn.name,
    check(args, tc, span) {
      if (fn.unsupported) tc.fail(`${fn.name}() of ${fn.unit.name} cannot be called from a script: ${fn.unsupported}`, span);
      if (args.length !== fn.params.length) {
        tc.fail(`${fn.name}() takes ${plural(fn.params.length, 'argument')}, got ${args.length}: ${fn.decl}`, span);
      }
      fn.params.forEach((p, i) => checkArg(fn, p, i, args[i]!, tc));
      return resultType(fn.result, tc);
    },
    emit(args, ec) {
      for (const d of fn.declarations) ec.declare(d);
      ec.declare(fn.prototype);
      const call = `${fn.name}(${fn.params.map((p, i) => emitArg(p, args[i] as Expr, ec)).join(', ')})`;
      // Script pointers are plain 64-bit values.
      return fn.result.kind === 'pointer' ? `((__u64)${call})` : call;
    },
  };
}
