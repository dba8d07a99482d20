// The current task, as the kernel's helpers give it: `pid` and `tid` (with
// their PID namespace argument) and the intrinsics under stdlib/task.bt's
// macros: `__builtin_comm`, `__builtin_curtask`, `__builtin_cpu`,
// `__builtin_ncpus`, `__builtin_usermode`.
import { arch } from 'node:os';
import { types, type Builtin, type BuiltinArgNode, type CheckContext, type Span, type ValueType } from '../../sdk/index.ts';
import { ownPidNamespace, ptRegsOffset, PT_REGS_ARCH } from '../../lib/host/index.ts';
import { expectArgCount } from './arg-checks.ts';
import { registersIn } from './registers.ts';
import { currentCommC } from './current-comm.ts';

const { uint32, uint64 } = types;
const uint8: ValueType = { kind: 'int', size: 1, signed: false };

/** `pid(curr_ns)`/`pid(init)`: whether the value counts in the initial namespace. */
function namespaceMode(name: string, args: BuiltinArgNode[], tc: CheckContext, span: Span): 'curr_ns' | 'init' {
  expectArgCount(name, args, 0, 1, tc, span);
  const arg = args[0];
  if (!arg) return 'curr_ns';
  if (arg.kind !== 'Identifier') return tc.fail(`${name}() only supports curr_ns and init as the argument`, span);
  if (arg.name !== 'curr_ns' && arg.name !== 'init') return tc.fail(`Invalid PID namespace mode: ${arg.name} (expects: curr_ns or init)`, arg.span);
  return arg.name;
}

/**
 * `pid` and `tid`: `tgid`/`pid` of bpf_get_current_pid_tgid, or of
 * bpf_get_ns_current_pid_tgid when bpfscript runs in a PID namespace of its
 * own and the namespace is `curr_ns` (the default, as in bpftrace).
 */
function pidBuiltin(name: 'pid' | 'tid', doc: string): Builtin {
  const plain = name === 'pid' ? '((__u32)(bpf_get_current_pid_tgid() >> 32))' : '((__u32)bpf_get_current_pid_tgid())';
  return {
    name,
    doc,
    bareword: true,
    check(args, tc, span) {
      namespaceMode(name, args, tc, span);
      return uint32;
    },
    emit(args, ec, span) {
      const arg = args[0];
      const ns = arg?.kind === 'Identifier' && arg.name === 'init' ? undefined : ownPidNamespace();
      if (!ns) return plain;
      const call = `bpf_get_ns_current_pid_tgid(${ns.dev}ULL, ${ns.ino}ULL, &__ns, sizeof(__ns))`;
      return `({ struct bpf_pidns_info __ns = {}; ${ec.checkHelper('get_ns_current_pid_tgid', call, span)}; (__u32)__ns.${name === 'pid' ? 'tgid' : 'pid'}; })`;
    },
  };
}

const namespaceDoc = (what: string, name: string) => `:variant uint32 ${name}([curr_ns|init])
The ${what} of the current thread. \`curr_ns\` (the default) counts it in the
PID namespace bpfscript runs in, \`init\` in the initial PID namespace; the
two differ only when bpfscript itself runs in a PID namespace of its own
(\`unshare -p\`, a container), and a task outside bpfscript's namespace then
reads 0 with \`curr_ns\`.

\`\`\`
tracepoint:syscalls:sys_enter_openat { @[${name}, ${name}(init)] = count(); }
\`\`\``;

/** A zero-argument intrinsic whose value is one C expression. */
function intrinsic(name: string, doc: string, check: (tc: CheckContext, span: Span) => ValueType, emit: (ec: Parameters<Builtin['emit']>[1]) => string): Builtin {
  return {
    name,
    doc,
    bareword: true,
    check(args, tc, span) {
      expectArgCount(name, args, 0, 0, tc, span);
      return check(tc, span);
    },
    emit: (_args, ec) => emit(ec),
  };
}

const comm = intrinsic('__builtin_comm', `:variant string __builtin_comm()
The current thread's name (\`task->comm\`, 16 bytes), read from the task
where the kernel allows it, else from the BPF helper \`get_current_comm\`;
stdlib's \`comm\`.`, () => types.stringType(16), (ec) => {
  return currentCommC(ec, ec.ctype(types.stringType(16)));
});

const curtask = intrinsic('__builtin_curtask', `:variant struct task_struct * __builtin_curtask()
The current task, from the BPF helper \`get_current_task\`, typed from the
kernel's BTF; stdlib's \`curtask\`.`, (tc, span) => {
  const task = tc.kernelTypes.byName('struct task_struct');
  if (!task) return tc.fail('curtask needs kernel BTF (struct task_struct was not found)', span);
  return tc.kernelTypes.pointerTo(task);
}, () => '((__u64)bpf_get_current_task())');

const cpu = intrinsic('__builtin_cpu', `:variant uint32 __builtin_cpu()
The CPU the program runs on (BPF helper \`get_smp_processor_id\`); stdlib's \`cpu\`.`, () => uint32, () => '((__u32)bpf_get_smp_processor_id())');

const ncpus = intrinsic('__builtin_ncpus', `:variant uint64 __builtin_ncpus()
How many CPUs the kernel may use (the possible CPUs), set when the program
is loaded; stdlib's \`ncpus\`.`, () => uint64, (ec) => ec.setting('ncpus'));

/**
 * Whether the probe interrupted user-mode code: the privilege level in the
 * saved `cs`. Probes without saved registers fold to a constant: 1 in
 * begin/end (bpfscript itself, in user mode), 0 elsewhere, as in bpftrace.
 */
const usermode: Builtin = {
  name: '__builtin_usermode',
  doc: `:variant uint8 __builtin_usermode()
1 when the probe interrupted user-mode code, from the saved \`cs\` register
(x86_64 only); stdlib's \`usermode\`.`,
  bareword: true,
  check(args, tc, span) {
    expectArgCount('__builtin_usermode', args, 0, 0, tc, span);
    if (arch() !== 'x64') tc.fail(`'usermode' builtin is only supported on ${PT_REGS_ARCH}`, span);
    return uint8;
  },
  constant(_args, tc) {
    if (registersIn(tc.probe.provider)) return undefined;
    return tc.probe.provider === 'begin' || tc.probe.provider === 'end' ? 1n : 0n;
  },
  emit() {
    return `((__u8)(((*(__u64 *)((char *)ctx + ${ptRegsOffset('cs')})) & 3) == 3))`;
  },
};

export const taskBuiltins: Builtin[] = [
  pidBuiltin('pid', namespaceDoc('process ID (thread group ID)', 'pid')),
  pidBuiltin('tid', namespaceDoc('thread ID', 'tid')),
  comm,
  curtask,
  cpu,
  ncpus,
  usermode,
];
