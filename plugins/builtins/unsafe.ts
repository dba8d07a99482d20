// The intrinsics behind stdlib/unsafe.bt: `__builtin_override(rc)` (a kprobe's
// function returns rc instead of running) and `__builtin_probe_write_user(dst,
// src, len)` (bytes of a value written into the current process's memory).
// Neither checks anything: the macros refuse them without --unsafe and where
// they cannot work.
import { types, type Builtin } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg } from './define.ts';

function integerOrPointer(name: string, what: string, arg: Parameters<Builtin['check']>[0][number], tc: Parameters<Builtin['check']>[1]): void {
  const t = tc.typeOf(exprArg(arg, tc));
  if (t.kind !== 'int' && t.kind !== 'pointer' && t.kind !== 'bool') tc.fail(`${name}(): ${what} must be an integer or a pointer, got ${types.typeName(t)}`, arg.span);
}

const override: Builtin = {
  name: '__builtin_override',
  doc: `:variant void __builtin_override(uint64 rc)
Makes the probed kernel function return \`rc\` without running, with the BPF
helper \`override_return\` (kprobes on functions that allow error injection
only). The \`override()\` macro adds the safety checks.`,
  statementOnly: true,
  check(args, tc, span) {
    expectArgs('__builtin_override', args, 1, 1, tc, span);
    integerOrPointer('__builtin_override', 'the return code', args[0]!, tc);
    return types.noneType;
  },
  emit(args, ec) {
    return `((void)bpf_override_return(ctx, (__u64)(${ec.expr(args[0] as Expr)})))`;
  },
};

const writeUser: Builtin = {
  name: '__builtin_probe_write_user',
  doc: `:variant bool __builtin_probe_write_user(T * dst, T src, uint32 len)
Copies the first \`len\` bytes of the value \`src\` (at most all of it) to the
user-space address \`dst\` of the current process, with the BPF helper
\`probe_write_user\`; true when the write succeeded. The \`write_user()\` macro
adds the safety checks.`,
  check(args, tc, span) {
    expectArgs('__builtin_probe_write_user', args, 3, 3, tc, span);
    integerOrPointer('__builtin_probe_write_user', 'the destination', args[0]!, tc);
    const src = tc.typeOf(exprArg(args[1]!, tc));
    if (src.kind === 'none') tc.fail('__builtin_probe_write_user(): the source has no value', args[1]!.span);
    const len = tc.typeOf(exprArg(args[2]!, tc));
    if (len.kind !== 'int') tc.fail(`__builtin_probe_write_user(): the length must be an integer, got ${types.typeName(len)}`, args[2]!.span);
    return types.boolType;
  },
  emit(args, ec) {
    const [dst, src, len] = args as Expr[];
    const st = ec.ctype(ec.typeOf(src!));
    // The length stays in a 64-bit local, clamped to the copy's size: the verifier needs its bound.
    return `({ ${st} __wsrc = ${ec.expr(src!)}; __u64 __wlen = (${ec.expr(len!)}); if (__wlen > sizeof(__wsrc)) __wlen = sizeof(__wsrc); ` +
      `(__u8)(bpf_probe_write_user((void *)(__u64)(${ec.expr(dst!)}), &__wsrc, __wlen) == 0); })`;
  },
};

export const unsafeBuiltins: Builtin[] = [override, writeUser];
