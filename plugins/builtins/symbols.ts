// Kernel symbols: ksym(addr) prints as the function an address falls in
// (resolved in user space from /proc/kallsyms when printed); kaddr("name") is
// the address of a kernel symbol, known at compile time.
import { types, type Builtin } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { kernelSymbolAddress } from '../host/index.ts';
import { expectArgs, exprArg } from './define.ts';

const ksym: Builtin = {
  name: 'ksym',
  check(args, tc, span) {
    expectArgs('ksym', args, 1, 1, tc, span);
    const t = tc.typeOf(exprArg(args[0], tc));
    if (t.kind !== 'int' && t.kind !== 'pointer') tc.fail(`ksym() expects an address (integer or pointer), got ${types.typeName(t)}`, args[0].span);
    return { ...types.uint64, symbol: 'kernel' };
  },
  emit(args, ec) {
    return `((__u64)(${ec.expr(args[0] as Expr)}))`;
  },
};

const kaddr: Builtin = {
  name: 'kaddr',
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

export const symbolBuiltins: Builtin[] = [ksym, kaddr];
