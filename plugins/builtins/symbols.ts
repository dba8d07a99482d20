// Kernel symbols: ksym(addr) is an integer printed as the kernel function the
// address falls in (from /proc/kallsyms): it tags its value's type, and its
// renderer makes the text when the value is printed. kaddr("name") is the
// address of a kernel symbol, known at compile time. (strerror() and
// syscall_name() are strings made in BPF: stdlib/strings.bt.)
import { types, type Builtin, type RunSession, type ValueRenderer } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { kernelSymbolAddress, kernelSymbolName } from '../../lib/host/index.ts';
import { expectArgs, exprArg } from './define.ts';

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
    // Located at the whole call, as upstream.
    if (kernelSymbolAddress(a.value) === undefined) tc.fail(`Failed to resolve kernel symbol: ${a.value}`, span);
    return types.uint64;
  },
  constant: (args) => (args[0].kind === 'String' ? kernelSymbolAddress(args[0].value) : undefined),
  emit() {
    throw new Error('kaddr() is folded at compile time');
  },
};

export const symbolBuiltins: Builtin[] = [ksym, kaddr];

/** A renderer of tags without parameters: the value's text (at most 256 bytes). */
function textRenderer(kind: string, text: (value: bigint, session: RunSession) => string): ValueRenderer {
  return { kind, open: (session) => (value) => ({ value: text(value, session), type: { kind: 'string', size: 256 } }) };
}

export const symbolRenderers: ValueRenderer[] = [
  textRenderer('ksym', (v) => kernelSymbolName(v)),
];
