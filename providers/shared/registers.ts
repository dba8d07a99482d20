// The saved registers of kprobe and uprobe contexts (x86-64 `struct
// pt_regs`): the arguments of the calling convention and the return value.
import type { ContextValue, ValueType } from '../../sdk/index.ts';
import { ARGUMENT_REGISTERS, RETURN_REGISTER, ptRegsOffset } from '../../lib/host/index.ts';

const u64: ValueType = { kind: 'int', size: 8, signed: false };

function register(name: string): ContextValue {
  return { type: u64, c: `(*(__u64 *)((char *)ctx + ${ptRegsOffset(name)}))` };
}

/** How many arguments the calling convention passes in registers. */
export const ARGUMENT_REGISTER_COUNT = ARGUMENT_REGISTERS.length;

/** The C expression (a `__u64`) of the register holding integer argument `index`, at a function's entry. */
export function argumentRegister(index: number): string {
  if (index < 0 || index >= ARGUMENT_REGISTERS.length) throw new Error(`internal: no argument register ${index}`);
  return register(ARGUMENT_REGISTERS[index]!).c;
}

/** `argN` (entry probes) or `retval` (return probes) from the saved registers; undefined otherwise. */
export function registerContext(id: string, returnProbe: boolean): ContextValue | undefined {
  const m = /^arg(\d+)$/.exec(id);
  if (m && !returnProbe && Number(m[1]) < ARGUMENT_REGISTERS.length) return register(ARGUMENT_REGISTERS[Number(m[1])]!);
  if (id === 'retval' && returnProbe) return register(RETURN_REGISTER);
  return undefined;
}
