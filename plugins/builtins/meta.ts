// Compile-time builtins: fail(), probetype, arch, is_literal(). They fold to
// constants, so `if comptime` can branch on them and prune what does not apply.
// Upstream's stdlib writes the last three as `__builtin_probetype`,
// `__builtin_arch` and `__builtin_is_literal(x)`: those spellings are the same
// builtins under the intrinsic name.
import { arch as osArch } from 'node:os';
import { types, type Builtin, type BuiltinArgNode, type CheckContext } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { formatPrintf } from '../../lib/render/index.ts';
import { expectArgs, exprArg, withDoc } from './define.ts';

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

function isLiteralBuiltin(name: string): Builtin {
  return {
    name,
    check(args, tc, span) {
      expectArgs(name, args, 1, 1, tc, span);
      return types.boolType;
    },
    constant: (args) => (isLiteral(args[0]) ? 1n : 0n),
    emit() {
      throw new Error(`${name} is folded at compile time`);
    },
  };
}

const IS_LITERAL_DOC = `:variant bool is_literal(Expression expr)
**compile time**

Whether \`expr\` is written as a literal: an integer (\`-1\` too), a string or
\`true\`/\`false\`. Macros use it to accept only constants.`;

const fail: Builtin = {
  name: 'fail',
  doc: `:variant void fail(const string fmt, args...)
**compile time**

Stops compilation with the formatted message as an error at the call, when
the call is reached: a branch that \`if comptime\` prunes never fails. The
arguments must be known at compile time.

\`\`\`
macro only_kprobes() { if comptime (probetype != "kprobe") { fail("only for kprobes, not %s", probetype); } }
\`\`\``,
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

const PROBETYPE_DOC = `:variant string probetype()
**compile time**

The kind of probe the code is in: \`tracepoint\`, \`uprobe\`, \`interval\`...;
\`begin\` and \`end\` probes are \`special\`. Known when the program is compiled,
so \`if comptime\` can branch on it.

\`\`\`
macro where() { if comptime (probetype == "special") { "begin/end" } else { probe } }
\`\`\``;

const ARCH_DOC = `:variant string arch()
**compile time**

The machine bpfscript runs on, as bpftrace names it: \`x86_64\`, \`aarch64\`...`;

/** The doc of an intrinsic spelling: the same builtin as `plain`. */
function intrinsicDoc(variant: string, plain: string): string {
  return `:variant ${variant}
**compile time**

Upstream's intrinsic spelling of \`${plain}\`, with the same value.`;
}

const probetype = (tc: CheckContext) => probetypeOf(tc.probe.provider);

export const metaBuiltins: Builtin[] = [
  withDoc(stringConstant('probetype', probetype), PROBETYPE_DOC),
  withDoc(stringConstant('__builtin_probetype', probetype), intrinsicDoc('string __builtin_probetype()', 'probetype')),
  withDoc(stringConstant('arch', () => archName), ARCH_DOC),
  withDoc(stringConstant('__builtin_arch', () => archName), intrinsicDoc('string __builtin_arch()', 'arch')),
  withDoc(isLiteralBuiltin('is_literal'), IS_LITERAL_DOC),
  withDoc(isLiteralBuiltin('__builtin_is_literal'), intrinsicDoc('bool __builtin_is_literal(Expression expr)', 'is_literal')),
  fail,
];
