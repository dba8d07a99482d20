// Small helpers for writing builtins: argument-count checks and simple
// "value from a helper call" builtins.
import type { Builtin, BuiltinArgNode, CheckContext, Span, ValueType } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';

export function expectArgs(name: string, args: BuiltinArgNode[], min: number, max: number, tc: CheckContext, span: Span): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    tc.fail(`${name}() requires ${want} argument${max === 1 && min === 1 ? '' : 's'} (${args.length} provided)`, span);
  }
}

export function exprArg(arg: BuiltinArgNode, tc: CheckContext): Expr {
  if (arg.kind === 'TypeArg') return tc.fail('Expected an expression, found a type', arg.span);
  return arg;
}

/** A builtin with no arguments whose value is one C expression (`pid`, `cpu`). */
export function valueBuiltin(name: string, type: ValueType, c: string | ((ctx: Parameters<Builtin['emit']>[1]) => string), check?: (tc: CheckContext, span: Span) => void): Builtin {
  return {
    name,
    bareword: true,
    check(args, tc, span) {
      expectArgs(name, args, 0, 0, tc, span);
      check?.(tc, span);
      return type;
    },
    emit(_args, ec) {
      return typeof c === 'string' ? c : c(ec);
    },
  };
}

/** The builtin with its reference documentation (`doc`, in the stdlib's `:variant` form). */
export function withDoc(builtin: Builtin, doc: string): Builtin {
  return { ...builtin, doc };
}
