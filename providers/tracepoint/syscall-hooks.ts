// The `syscalls:` tracepoints on raw_syscalls' two hooks (sys_enter, sys_exit),
// where all of them are fed from: one raw tracepoint program per hook runs
// every syscall probe of the script, picked by the syscall number
// (ExpandedProbe.sharedHook, core/codegen/shared-hooks.ts). It rebuilds the
// record the kernel's perf handler would have written (perf_syscall_enter,
// perf_syscall_exit) and fires where it would: not for 32-bit (ia32)
// syscalls, not for numbers without a tracepoint. Attaching is one link per
// hook instead of a perf event per tracepoint, each of which the kernel takes
// ~25 ms to close. x86-64 only; elsewhere the tracepoints stay perf events.
import type { SharedHook } from '../../sdk/index.ts';
import { ptRegsOffset, PT_REGS_ARCH } from '../../lib/host/index.ts';
import { syscallNumbers } from './syscall-table.ts';
import { tracepointArgsC } from './args.ts';

/** The registers of a syscall's arguments on x86-64 (syscall_get_arguments). */
const ARGUMENT_REGISTERS = ['di', 'si', 'dx', 'r10', 'r8', 'r9'] as const;

/**
 * The fewest syscall probes on a hook for which the shared program pays. It
 * runs on every syscall of the machine, probed or not (~150 ns each, with
 * bpf_stats, where a perf tracepoint's handler returns in ~10 ns for a
 * syscall nobody probes), and saves ~25 ms per probe at exit (the kernel's
 * time to close a perf tracepoint event): from 8 probes on, about 0.2 s.
 */
const SHARED_HOOK_MINIMUM = 8;

/** thread_info.status's bit for a 32-bit syscall in progress (in_ia32_syscall). */
const TS_COMPAT = 0x0002;

/**
 * Where task_struct keeps thread_info.status on x86-64: thread_info is its
 * first member (THREAD_INFO_IN_TASK), { flags, syscall_work, status, cpu }
 * since 5.11 (syscall_work came then). Placing it with CO-RE instead would
 * have libbpf read the kernel's BTF at every load (~150 ms here), which this
 * optimisation exists to save; tests/providers check it against BTF.
 */
export const THREAD_INFO_STATUS_OFFSET = 16;

/** Whether the kernel has that layout (5.11 or later). */
function hasThreadInfoLayout(kernelRelease: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(kernelRelease);
  return m !== null && (Number(m[1]) > 5 || (Number(m[1]) === 5 && Number(m[2]) >= 11));
}

function registerBlock(): { first: number; words: number; index: (name: string) => number } {
  const offsets = ARGUMENT_REGISTERS.map((r) => ptRegsOffset(r)!);
  const first = Math.min(...offsets);
  return { first, words: (Math.max(...offsets) - first) / 8 + 1, index: (name) => (ptRegsOffset(name)! - first) / 8 };
}

/** The record both hooks rebuild (struct syscall_trace_enter / _exit: header, nr, then the arguments or the return value) and the ia32 test. */
const COMMON_DECLARATIONS = `#ifndef BS_SYSCALL_RECORD
#define BS_SYSCALL_RECORD
struct bs_syscall_record {
  __u64 common;
  __s32 nr;
  __u32 pad;
  __u64 values[${ARGUMENT_REGISTERS.length}];
};

static __always_inline int bs_syscall_native(void)
{
  __u32 status = 0;
  bpf_probe_read_kernel(&status, sizeof(status), (char *)bpf_get_current_task() + ${THREAD_INFO_STATUS_OFFSET});
  return (status & ${TS_COMPAT}) == 0;
}
#endif
`;

/** A per-CPU record for one hook (a program does not run again on its CPU before it returns). */
function recordMap(hook: string): string {
  return `struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct bs_syscall_record);
} bs_${hook}_record SEC(".maps");
`;
}

function enterDeclarations(): string {
  const regs = registerBlock();
  const values = ARGUMENT_REGISTERS.map((r, i) => `  r->values[${i}] = regs[${regs.index(r)}];`).join('\n');
  return `${COMMON_DECLARATIONS}${recordMap('sys_enter')}
static __always_inline void *bs_sys_enter_context(void *ctx, __s64 nr)
{
  __u32 zero = 0;
  __u64 regs[${regs.words}] = {};
  struct bs_syscall_record *r = bpf_map_lookup_elem(&bs_sys_enter_record, &zero);
  if (!r)
    return 0;
  bpf_probe_read_kernel(regs, sizeof(regs), (char *)((__u64 *)ctx)[0] + ${regs.first});
  r->nr = nr;
${values}
  return r;
}
`;
}

function exitDeclarations(): string {
  return `${COMMON_DECLARATIONS}${recordMap('sys_exit')}
static __always_inline __s64 bs_sys_exit_nr(void *ctx)
{
  __s64 orig_ax = -1;
  bpf_probe_read_kernel(&orig_ax, sizeof(orig_ax), (char *)((__u64 *)ctx)[0] + ${ptRegsOffset('orig_rax')});
  return (__s32)orig_ax;
}

static __always_inline void *bs_sys_exit_context(void *ctx, __s64 nr)
{
  __u32 zero = 0;
  struct bs_syscall_record *r = bpf_map_lookup_elem(&bs_sys_exit_record, &zero);
  if (!r)
    return 0;
  r->nr = nr;
  r->values[0] = ((__u64 *)ctx)[1];
  return r;
}
`;
}

/**
 * The shared hook of `syscalls:sys_enter_NAME` / `sys_exit_NAME`, or
 * undefined where it cannot run there (not x86-64, a syscall the table does
 * not know, a kernel before 5.11 or not known, BPFSCRIPT_NO_SHARED_HOOKS set).
 */
export function syscallHook(event: string, argsStruct: string, kernelRelease: string | undefined): SharedHook | undefined {
  const m = /^sys_(enter|exit)_(\w+)$/.exec(event);
  if (!m || PT_REGS_ARCH !== 'x86_64' || process.env.BPFSCRIPT_NO_SHARED_HOOKS) return undefined;
  const selectors = syscallNumbers(m[2]!);
  if (selectors.length === 0) return undefined;
  if (kernelRelease === undefined || !hasThreadInfoLayout(kernelRelease)) return undefined;
  const args = tracepointArgsC(argsStruct);
  const enter = m[1] === 'enter';
  return {
    section: enter ? 'raw_tp/sys_enter' : 'raw_tp/sys_exit',
    selectors,
    minimum: SHARED_HOOK_MINIMUM,
    // sys_enter(regs, id); sys_exit(regs, ret): the number is orig_ax, as the kernel's handler reads it.
    selector: enter ? '(__s32)((__u64 *)ctx)[1]' : 'bs_sys_exit_nr(ctx)',
    cDeclarations: enter ? enterDeclarations() : exitDeclarations(),
    filter: 'bs_syscall_native()',
    context: enter ? 'bs_sys_enter_context(ctx, __bs_selector)' : 'bs_sys_exit_context(ctx, __bs_selector)',
    contextReads: [args.c, args.cValue],
  };
}
