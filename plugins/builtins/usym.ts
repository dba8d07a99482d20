// usym(addr): a user-space address printed as the symbol it falls in, in the
// process that produced it. The value keeps both (a tagged tuple: the address
// and the tgid), so it can be stored, used as a map key and printed later;
// the renderer names it through that process's memory map, or prints the
// address in hex when nothing names it, as bpftrace does.
import { types, type Builtin, type RenderTag, type ValueRenderer, type ValueType } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg } from './define.ts';
import { userSymbolizer } from './user-symbols.ts';
import { ownTgid } from './own-tgid.ts';

const usymTag: RenderTag = { kind: 'usym' };
const usymType: ValueType = { ...(types.tupleType([types.uint64, types.uint32]) as Extract<ValueType, { kind: 'tuple' }>), render: usymTag };

const usym: Builtin = {
  name: 'usym',
  doc: `:variant usym_t usym(uint64 addr)
The user-space symbol \`addr\` falls in, in the current process (the one that hit
the probe): its function or object name, found through the process's memory map
and ELF symbols (and perf map files for JIT code), demangled when
\`cpp_demangle\` is on. Printed as the address in hex when no symbol holds it.

\`\`\`
uprobe:/bin/bash:readline { printf("%s\\n", usym(reg("ip"))); }
\`\`\``,
  check(args, tc, span) {
    expectArgs('usym', args, 1, 1, tc, span);
    const t = tc.typeOf(exprArg(args[0], tc));
    if (t.kind !== 'int' && t.kind !== 'pointer') tc.fail(`usym() expects an address (integer or pointer), got ${types.typeName(t)}`, args[0].span);
    return usymType;
  },
  emit(args, ec) {
    return `((${ec.ctype(usymType)}){ .f0 = (__u64)(${ec.expr(args[0] as Expr)}), .f1 = ${ownTgid(ec)} })`;
  },
};

const usymRenderer: ValueRenderer = {
  kind: 'usym',
  open: (session) => (address, _tag, more) => {
    const pid = Number(more?.[0] ?? 0n);
    const sym = userSymbolizer(session).resolve(pid, [address])[0];
    return { value: sym ? sym.name : `0x${address.toString(16)}`, type: { kind: 'string', size: 256 } };
  },
};

export const usymBuiltins: Builtin[] = [usym];
export const usymRenderers: ValueRenderer[] = [usymRenderer];
