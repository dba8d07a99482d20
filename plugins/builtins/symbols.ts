// Integers printed as text made in user space: ksym(addr) as the kernel
// function an address falls in (from /proc/kallsyms), strerror(n) as the
// errno's message, syscall_name(n) as the system call's name. Each tags its
// value's type, and its renderer makes the text when the value is printed.
// kaddr("name") is the address of a kernel symbol, known at compile time.
import { types, type Builtin, type RunSession, type ValueRenderer } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { kernelSymbolAddress, kernelSymbolName, syscallName } from '../../lib/host/index.ts';
import { expectArgs, exprArg, withDoc } from './define.ts';

const ksym: Builtin = {
  name: 'ksym',
  doc: `:variant ksym_t ksym(uint64 addr)
**async**

The name of the kernel function \`addr\` falls in, looked up in user space
(in \`/proc/kallsyms\`) when the value is printed; an address of no function
prints in hex.

\`\`\`
profile:hz:99 { @[ksym(reg("ip"))] = count(); }
\`\`\``,
  check(args, tc, span) {
    expectArgs('ksym', args, 1, 1, tc, span);
    const t = tc.typeOf(exprArg(args[0], tc));
    if (t.kind !== 'int' && t.kind !== 'pointer') tc.fail(`ksym() expects an address (integer or pointer), got ${types.typeName(t)}`, args[0].span);
    return { ...types.uint64, render: { kind: 'ksym' } };
  },
  emit(args, ec) {
    return `((__u64)(${ec.expr(args[0] as Expr)}))`;
  },
};

const kaddr: Builtin = {
  name: 'kaddr',
  doc: `:variant uint64 kaddr(const string name)
**compile time**

The address of the kernel symbol \`name\`, from \`/proc/kallsyms\`; an unknown
name is a compile error.

\`\`\`
interval:s:1 { printf("%r\\n", buf(kaddr("avenrun"), 8)); }
\`\`\``,
  check(args, tc, span) {
    expectArgs('kaddr', args, 1, 1, tc, span);
    const a = args[0];
    if (a.kind !== 'String') return tc.fail('kaddr() expects a string literal (a kernel symbol name)', a.span);
    if (kernelSymbolAddress(a.value) === undefined) tc.fail(`Failed to resolve kernel symbol: ${a.value}`, a.span);
    return types.uint64;
  },
  constant: (args) => (args[0].kind === 'String' ? kernelSymbolAddress(args[0].value) : undefined),
  emit() {
    throw new Error('kaddr() is folded at compile time');
  },
};

/** An integer printed as text made in user space (strerror, syscall_name), by the renderer of `render`. */
function textOf(name: string, render: 'strerror' | 'syscall_name'): Builtin {
  return {
    name,
    check(args, tc, span) {
      expectArgs(name, args, 1, 1, tc, span);
      const t = tc.typeOf(exprArg(args[0], tc));
      if (t.kind !== 'int') tc.fail(`${name}() expects an integer, got ${types.typeName(t)}`, args[0].span);
      return { ...types.int64, render: { kind: render } };
    },
    emit(args, ec) {
      return `((__s64)(${ec.expr(args[0] as Expr)}))`;
    },
  };
}

const STRERROR_DOC = `:variant string strerror(int error)
**async**

The message of errno \`error\` (\`Invalid argument\` for 22), made in user space
when the value is printed.

\`\`\`
tracepoint:syscalls:sys_exit_openat /args.ret < 0/ { @[strerror(-args.ret)] = count(); }
\`\`\``;

const SYSCALL_NAME_DOC = `:variant string syscall_name(int nr_syscall)
**async**

The name of system call number \`nr_syscall\` on this machine (\`read\` for 0
on x86_64), made in user space when the value is printed.

\`\`\`
tracepoint:raw_syscalls:sys_enter { @[syscall_name(args.id)] = count(); }
\`\`\``;

export const symbolBuiltins: Builtin[] = [
  ksym,
  kaddr,
  withDoc(textOf('strerror', 'strerror'), STRERROR_DOC),
  withDoc(textOf('syscall_name', 'syscall_name'), SYSCALL_NAME_DOC),
];

/** A renderer of tags without parameters: the value's text (at most 256 bytes). */
function textRenderer(kind: string, text: (value: bigint, session: RunSession) => string): ValueRenderer {
  return { kind, open: (session) => (value) => ({ value: text(value, session), type: { kind: 'string', size: 256 } }) };
}

export const symbolRenderers: ValueRenderer[] = [
  textRenderer('ksym', (v) => kernelSymbolName(v)),
  textRenderer('strerror', (v, session) => session.runtime.errnoMessage(Number(BigInt.asIntN(32, v)))),
  textRenderer('syscall_name', (v) => syscallName(Number(v))),
];
