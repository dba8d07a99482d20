// `reg(name)`: a register of the probed code, from the saved registers the
// program's context holds (a `struct pt_regs`, also the first member of a
// perf event's context), by bpftrace's register names.
import { arch } from 'node:os';
import { types, type Builtin } from '../../sdk/index.ts';
import { ptRegsOffset, PT_REGS_ARCH } from '../../lib/host/index.ts';
import { argKindName, expectArgCount } from './arg-checks.ts';

/** Probe types whose context starts with the interrupted code's registers (bpftrace's list). */
const withRegisters = new Set(['kprobe', 'kretprobe', 'uprobe', 'uretprobe', 'usdt', 'profile', 'interval', 'software', 'hardware', 'watchpoint']);

/** Whether programs of this provider can read saved registers from their context. */
export function registersIn(provider: string): boolean {
  return withRegisters.has(provider);
}

export const reg: Builtin = {
  name: 'reg',
  doc: `:variant uint64 reg(const string name)
The value of register \`name\` when the probe fired, from the registers saved
in the probe's context: kprobe, kretprobe, uprobe, uretprobe, usdt, profile,
interval, software, hardware and watchpoint probes. Names are the kernel's
(x86_64: \`ip\` or \`pc\`, \`sp\`, \`bp\`, \`ax\`, \`bx\`, \`cx\`, \`dx\`, \`si\`,
\`di\`, \`r8\`...\`r15\`, \`flags\`, \`cs\`, \`ss\`, \`orig_rax\`).

\`\`\`
uprobe:/bin/bash:readline { printf("%s\\n", usym(reg("ip"))); }
\`\`\``,
  check(args, tc, span) {
    expectArgCount('reg', args, 1, 1, tc, span);
    if (!registersIn(tc.probe.provider)) tc.fail(`reg can not be used with "${tc.probe.provider}" probes`, span);
    const name = args[0]!;
    if (name.kind !== 'String') return tc.fail(`reg() expects a string literal (${argKindName(name, tc)} provided)`, span);
    if (arch() !== 'x64' || ptRegsOffset(name.value) === undefined) {
      tc.fail(`'${name.value}' is not a valid register on this architecture (${PT_REGS_ARCH})`, span);
    }
    return types.uint64;
  },
  emit(args) {
    const name = args[0] as { value: string };
    return `(*(__u64 *)((char *)ctx + ${ptRegsOffset(name.value)}))`;
  },
};
