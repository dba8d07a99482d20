// Kernel symbols: ksym(addr) prints as the function an address falls in
// (resolved in user space from /proc/kallsyms when printed); kaddr("name") is
// the address of a kernel symbol, known at compile time; kstack records the
// kernel call stack in a stack map, printed as bpftrace prints it.
import { types, type Builtin } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { kernelSymbolAddress } from '../../lib/host/index.ts';
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


/** The stack map kstack() records into (stack ids index it); the session reads frames from it. */
export const KERNEL_STACK_MAP = 'bs_kstacks';
const MAX_FRAMES = 127;

const stackModes = new Set(['bpftrace', 'perf', 'raw']);

/** `kstack`, `kstack(limit)`, `kstack(mode)`, `kstack(mode, limit)`: the kernel call stack here. */
const kstack: Builtin = {
  name: 'kstack',
  bareword: true,
  check(args, tc, span) {
    expectArgs('kstack', args, 0, 2, tc, span);
    let mode: 'bpftrace' | 'perf' | 'raw' = 'bpftrace';
    let limit = MAX_FRAMES;
    for (const a of args) {
      if (a.kind === 'Identifier' && stackModes.has(a.name)) mode = a.name as typeof mode;
      else {
        const n = tc.constant(exprArg(a, tc));
        if (n === undefined) return tc.fail('kstack() takes a mode (bpftrace, perf, raw) and/or a constant frame limit', a.span);
        if (n < 1n || n > BigInt(MAX_FRAMES)) tc.fail(`kstack() limit must be 1..${MAX_FRAMES}`, a.span);
        limit = Number(n);
      }
    }
    return { ...types.int64, stack: { map: KERNEL_STACK_MAP, mode, limit } };
  },
  emit(_args, ec) {
    ec.declare(`struct {\n  __uint(type, BPF_MAP_TYPE_STACK_TRACE);\n  __uint(key_size, 4);\n  __uint(value_size, ${MAX_FRAMES} * 8);\n  __uint(max_entries, ${ec.config.maxMapKeys});\n} ${KERNEL_STACK_MAP} SEC(".maps");\n`);
    return `((__s64)bpf_get_stackid(ctx, &${KERNEL_STACK_MAP}, 0))`;
  },
};

/** An integer printed as text made in user space (strerror, syscall_name). */
function textOf(name: string, symbol: 'errno' | 'syscall'): Builtin {
  return {
    name,
    check(args, tc, span) {
      expectArgs(name, args, 1, 1, tc, span);
      const t = tc.typeOf(exprArg(args[0], tc));
      if (t.kind !== 'int') tc.fail(`${name}() expects an integer, got ${types.typeName(t)}`, args[0].span);
      return { ...types.int64, symbol };
    },
    emit(args, ec) {
      return `((__s64)(${ec.expr(args[0] as Expr)}))`;
    },
  };
}

export const symbolBuiltins: Builtin[] = [ksym, kaddr, kstack, textOf('strerror', 'errno'), textOf('syscall_name', 'syscall')];
