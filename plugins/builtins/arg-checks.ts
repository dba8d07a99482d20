// Arguments checked with bpftrace's words: counts (`f() requires one argument
// (2 provided)`) and kinds (`f() expects a string literal (int provided)`).
import type { BuiltinArgNode, CheckContext, Span, ValueType } from '../../sdk/index.ts';

function count(n: number, what: string): string {
  return n === 1 ? `one ${what}` : `${n} ${what}s`;
}

export function expectArgCount(name: string, args: BuiltinArgNode[], min: number, max: number, tc: CheckContext, span: Span): void {
  const n = args.length;
  const provided = ` (${n} provided)`;
  if (min === max && n !== min) {
    tc.fail(`${name}() requires ${min === 0 ? 'no arguments' : count(min, 'argument')}${provided}`, span);
  }
  if (n < min) tc.fail(`${name}() requires at least ${count(min, 'argument')}${provided}`, span);
  if (n > max) tc.fail(`${name}() ${max === 0 ? 'requires no arguments' : `takes up to ${count(max, 'argument')}`}${provided}`, span);
}

/** bpftrace's name of a value's kind in argument messages (`int`, `string`, `pointer`...). */
export function kindName(t: ValueType): string {
  switch (t.kind) {
    case 'int':
      return 'int';
    case 'struct':
      return 'c_type';
    default:
      return t.kind;
  }
}

/** The kind of an argument, for messages (`none` for a type argument). */
export function argKindName(arg: BuiltinArgNode, tc: CheckContext): string {
  return arg.kind === 'TypeArg' ? 'none' : kindName(tc.typeOf(arg));
}
