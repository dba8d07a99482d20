// `ctx`: the program's context as a pointer. In kprobe-type programs (kprobe,
// uprobe, usdt) it points at the probed task's saved registers, a `struct
// pt_regs` whose members read like any kernel struct's. In perf event
// programs (interval, profile, software, hardware, watchpoint) the kernel
// passes its own internal struct, whose layout is not the documented
// `struct bpf_perf_event_data` (the verifier rewrites direct loads only), so
// there `ctx` is an untyped pointer: it can be cast and passed on, and
// `reg()` reads its registers.
import type { ContextValue, ProviderEnv, ValueType } from '../../sdk/index.ts';

const untyped: ValueType = { kind: 'pointer', pointee: 'void' };

/** The `ctx` identifier as a pointer to `struct` (untyped when none is given, or without BTF); undefined for other names. */
export function contextPointer(id: string, struct: 'struct pt_regs' | undefined, env: ProviderEnv): ContextValue | undefined {
  if (id !== 'ctx') return undefined;
  const t = struct ? env.kernelTypes.byName(struct) : undefined;
  return { type: t ? env.kernelTypes.pointerTo(t) : untyped, c: '((__u64)ctx)' };
}
