// Kernel intrinsics of stdlib/kernel.bt: `__builtin_kfunc_exist("f")` and
// `__builtin_kfunc_allowed("f")` (compile-time answers from the kernel's BTF
// and verifier) and `__builtin_path(p[, size])`, a file's path from the BPF
// helper bpf_d_path.
import { types, type Builtin, type BuiltinArgNode, type CheckContext } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg } from './define.ts';

function kfuncName(name: string, args: BuiltinArgNode[], tc: CheckContext): string {
  const a = args[0]!;
  if (a.kind !== 'String') return tc.fail(`${name}() accepts a string literal only`, a.span);
  return a.value;
}

/** A compile-time bool about the kfunc named by the literal argument. */
function kfuncQuestion(name: string, doc: string, answer: (kfunc: string, tc: CheckContext) => boolean): Builtin {
  return {
    name: `__builtin_${name}`,
    doc,
    check(args, tc, span) {
      expectArgs(`__builtin_${name}`, args, 1, 1, tc, span);
      kfuncName(name, args, tc);
      return types.boolType;
    },
    constant: (args, tc) => (args[0]?.kind === 'String' && answer(args[0].value, tc) ? 1n : 0n),
    emit() {
      throw new Error(`__builtin_${name} is folded at compile time`);
    },
  };
}

const kfuncExist = kfuncQuestion(
  'kfunc_exist',
  `:variant bool __builtin_kfunc_exist(const string kfunc)
**compile time**

Whether the kernel's BTF has a function named \`kfunc\`.`,
  (kfunc, tc) => tc.kernelTypes.available && tc.kernelTypes.functionSignature(kfunc) !== undefined,
);

const kfuncAllowed = kfuncQuestion(
  'kfunc_allowed',
  `:variant bool __builtin_kfunc_allowed(const string kfunc)
**compile time**

Whether a program of this probe's type may call kfunc \`kfunc\`, as the
kernel's verifier answers when a tiny program calling it is loaded.`,
  (kfunc, tc) => tc.kfuncAllowed(kfunc),
);

/** The size of path()'s string: the literal size argument (at most max_strlen), or max_strlen. */
function pathSize(args: BuiltinArgNode[], maxStrlen: number): number {
  const size = args[1]?.kind === 'Integer' ? Number(args[1].value) : maxStrlen;
  return Math.max(1, Math.min(size, maxStrlen));
}

const path: Builtin = {
  name: '__builtin_path',
  doc: `:variant string __builtin_path(struct path * path [, int32 size])
The path of \`path\` (a \`struct path\` pointer, or such a member of a kernel
struct: \`args.file->f_path\`), from the BPF helper \`d_path\`: at most \`size\`
bytes (a literal), or \`max_strlen\`; empty when \`path\` is NULL. The \`path()\`
macro adds the checks.`,
  check(args, tc, span) {
    expectArgs('path', args, 1, 2, tc, span);
    const t = tc.typeOf(exprArg(args[0]!, tc));
    if (t.kind !== 'pointer' && t.kind !== 'struct') tc.fail(`path() only supports pointer or C type argument (${types.typeName(t)} provided)`, args[0]!.span);
    const size = args[1];
    if (size && (size.kind !== 'Integer' || size.value < 0n)) tc.fail('path: invalid size value, need non-negative literal', size.span);
    return types.stringType(pathSize(args, tc.config.maxStrlen));
  },
  emit(args, ec, span) {
    const arg = args[0] as Expr;
    const address = ec.address(arg) ?? (ec.typeOf(arg).kind === 'pointer' ? `((__u64)(${ec.expr(arg)}))` : undefined);
    if (!address) throw new Error('path() of a struct value that is not in kernel memory');
    const size = pathSize(args, ec.config.maxStrlen);
    const st = ec.ctype(types.stringType(size));
    ec.declare('struct path;\n');
    const call = ec.checkHelper('d_path', `bpf_d_path((struct path *)__pa, __pb.s, ${size})`, span);
    return `({ ${st} __pb = {}; __u64 __pa = ${address}; if (__pa) ${call}; __pb; })`;
  },
};

export const kernelBuiltins: Builtin[] = [kfuncExist, kfuncAllowed, path];
