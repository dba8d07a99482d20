// Where x86-64 `struct pt_regs` keeps the registers probes read: the
// arguments of the calling convention (di, si, dx, cx, r8, r9) and the return
// value (ax). Shared by kprobe and uprobe contexts.
import type { ContextValue, ValueType } from '../../sdk/index.ts';

const argumentOffsets = [112, 104, 96, 88, 72, 64];
const returnValueOffset = 80;
const u64: ValueType = { kind: 'int', size: 8, signed: false };

function register(offset: number): ContextValue {
  return { type: u64, c: `(*(__u64 *)((char *)ctx + ${offset}))` };
}

/** How many arguments the calling convention passes in registers. */
export const ARGUMENT_REGISTERS = argumentOffsets.length;

/** The C expression (a `__u64`) of the register holding integer argument `index`, at a function's entry. */
export function argumentRegister(index: number): string {
  if (index < 0 || index >= argumentOffsets.length) throw new Error(`internal: no argument register ${index}`);
  return register(argumentOffsets[index]!).c;
}

/** `argN` (entry probes) or `retval` (return probes) from the saved registers; undefined otherwise. */
export function registerContext(id: string, returnProbe: boolean): ContextValue | undefined {
  const m = /^arg(\d+)$/.exec(id);
  if (m && !returnProbe && Number(m[1]) < argumentOffsets.length) return register(argumentOffsets[Number(m[1])]);
  if (id === 'retval' && returnProbe) return register(returnValueOffset);
  return undefined;
}
