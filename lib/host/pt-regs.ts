// Where x86-64's `struct pt_regs` keeps each register, by bpftrace's register
// names (`reg("ip")`): the layout kprobe and uprobe contexts have, and the
// first member of a perf event's context (`struct bpf_perf_event_data`).
const offsets: Record<string, number> = {
  r15: 0, r14: 8, r13: 16, r12: 24, bp: 32, bx: 40, r11: 48, r10: 56,
  r9: 64, r8: 72, ax: 80, cx: 88, dx: 96, si: 104, di: 112, orig_rax: 120,
  ip: 128, pc: 128, cs: 136, flags: 144, sp: 152, ss: 160,
};

/** The architecture these offsets describe, as bpftrace names it in messages. */
export const PT_REGS_ARCH = 'x86_64';

/** Registers that carry a function's arguments, in order (the calling convention). */
export const ARGUMENT_REGISTERS = ['di', 'si', 'dx', 'cx', 'r8', 'r9'] as const;

/** The register holding a function's return value. */
export const RETURN_REGISTER = 'ax';

/** Byte offset of register `name` in `struct pt_regs`, or undefined for an unknown name. */
export function ptRegsOffset(name: string): number | undefined {
  return Object.hasOwn(offsets, name) ? offsets[name] : undefined;
}
