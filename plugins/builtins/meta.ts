// Compile-time builtins: fail(), probetype, arch, is_literal(). They fold to
// constants, so `if comptime` can branch on them and prune what does not apply.
import { arch as osArch } from 'node:os';
import { types, type Builtin, type BuiltinArgNode, type CheckContext } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { formatPrintf } from '../../lib/render/index.ts';
import { expectArgs, exprArg } from './define.ts';

/** Upstream's name for the kind of probe a program is (begin/end are `special`). */
function probetypeOf(provider: string): string {
  return provider === 'begin' || provider === 'end' ? 'special' : provider;
}

const archName = osArch() === 'x64' ? 'x86_64' : osArch() === 'arm64' ? 'aarch64' : osArch();

function stringConstant(name: string, value: (tc: CheckContext) => string): Builtin {
  return {
    name,
    bareword: true,
    check(args, tc, span) {
      expectArgs(name, args, 0, 0, tc, span);
      return types.stringType(Buffer.byteLength(value(tc)) + 1);
    },
    constant: (_args, tc) => value(tc),
    emit() {
      throw new Error(`${name} is folded at compile time`);
    },
  };
}

const literalKinds = new Set(['Integer', 'String', 'Bool']);

function isLiteral(arg: BuiltinArgNode): boolean {
  if (literalKinds.has(arg.kind)) return true;
  // `-1` parses as a negation of a literal.
  return arg.kind === 'Unary' && arg.op === '-' && arg.operand.kind === 'Integer';
}

const isLiteralBuiltin: Builtin = {
  name: 'is_literal',
  check(args, tc, span) {
    expectArgs('is_literal', args, 1, 1, tc, span);
    return types.boolType;
  },
  constant: (args) => (isLiteral(args[0]) ? 1n : 0n),
  emit() {
    throw new Error('is_literal is folded at compile time');
  },
};

const fail: Builtin = {
  name: 'fail',
  statementOnly: true,
  check(args, tc, span) {
    expectArgs('fail', args, 1, Infinity, tc, span);
    const fmt = args[0];
    if (fmt.kind !== 'String') return tc.fail('fail() needs a string literal as its first argument', fmt.span);
    const values = args.slice(1).map((a) => {
      const e = exprArg(a, tc) as Expr;
      const t = tc.typeOf(e);
      const v = tc.constant(e);
      if (v !== undefined) return { value: v as bigint, type: types.storageType(t) };
      const s = tc.constantString(e);
      if (s !== undefined) return { value: s, type: t };
      return tc.fail('fail() arguments must be known at compile time', a.span);
    });
    // Reached (not pruned by `if comptime`): the message is the compile error.
    return tc.fail(formatPrintf(fmt.value, values), span);
  },
  emit() {
    throw new Error('fail() never reaches code generation');
  },
};

export const metaBuiltins: Builtin[] = [
  stringConstant('probetype', (tc) => probetypeOf(tc.probe.provider)),
  stringConstant('arch', () => archName),
  isLiteralBuiltin,
  fail,
];
