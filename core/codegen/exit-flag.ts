// exit() ends the run at once in the kernel too: it sets a flag that every
// probe but `end` reads first, so a probe that fires again before user space
// has detached it (an interval of 1 ms fires tens of times while the exit
// event is read and the links go) does nothing. Its maps then hold what they
// held when exit() ran, as bpftrace's quicker detach leaves them. Only
// programs that call a builtin that ends the run (endsProbe) get the flag.
import type { TypedProgram } from '../passes/types/index.ts';
import type { ProgramState } from './state.ts';

const FLAG = 'bs_exited';
const DECLARATION = `/* Set by exit(): other probes that fire after it return at once. */\nstatic volatile __u8 ${FLAG};\n`;

/** Whether any probe of the program calls a builtin that ends the run. */
export function programExits(typed: TypedProgram): boolean {
  return typed.instances.some((i) => [...i.builtins.values()].some((b) => b.endsProbe));
}

/** The first statement of a probe that must not run after exit() (every probe but `end`). */
export function exitGuard(state: ProgramState): string {
  state.declare(DECLARATION);
  return `if (${FLAG})\n    return 0;`;
}

/** The C of a call that ends the run (`exit()`), setting the flag first. */
export function settingExitFlag(state: ProgramState, call: string): string {
  state.declare(DECLARATION);
  return `({ ${FLAG} = 1; ${call}; })`;
}
