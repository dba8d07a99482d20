// The intrinsics behind stdlib/process.bt's `signal()`: `__builtin_safe_mode`
// (a compile-time flag, true without --unsafe) and `__builtin_signal(sig)`,
// which sends a signal (a number or a name like "SIGKILL") to the current
// process with bpf_send_signal; `__builtin_signal_thread(sig)` sends it to the
// current thread (stdlib/unsafe.bt's `signal_thread()`).
import { constants } from 'node:os';
import { types, type Builtin } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg } from './define.ts';

const signalNumbers = constants.signals as Record<string, number>;

const safeMode: Builtin = {
  name: '__builtin_safe_mode',
  doc: `:variant bool __builtin_safe_mode()
**compile time**

True unless bpfscript runs with \`--unsafe\`: the macros of unsafe functions
refuse to compile when it is true.

\`\`\`
macro my_kill() { if comptime (__builtin_safe_mode) { fail("my_kill() needs --unsafe"); } __builtin_signal(9); }
\`\`\``,
  bareword: true,
  check: (args, tc, span) => {
    expectArgs('__builtin_safe_mode', args, 0, 0, tc, span);
    return types.boolType;
  },
  constant: (_args, tc) => (tc.config.unsafe ? 0n : 1n),
  emit: () => {
    throw new Error('__builtin_safe_mode is folded at compile time');
  },
};

/** `__builtin_signal` (to the process) or `__builtin_signal_thread` (to the thread): `caller` names the macro in messages. */
function signalSender(name: string, helper: 'bpf_send_signal' | 'bpf_send_signal_thread', caller: string, doc: string): Builtin {
  return {
    name,
    doc,
    check(args, tc, span) {
      expectArgs(name, args, 1, 1, tc, span);
      const arg = exprArg(args[0], tc);
      const t = tc.typeOf(arg);
      if (arg.kind === 'String') {
        const sig = arg.value.startsWith('SIG') ? arg.value : `SIG${arg.value}`;
        if (signalNumbers[sig] === undefined) tc.fail(`Invalid signal: ${arg.value}`, arg.span);
      } else if (t.kind !== 'int') tc.fail(`${caller} takes a signal number or name`, arg.span);
      else {
        const n = tc.constant(arg);
        if (n !== undefined && (n < 1n || n > 64n)) tc.fail(`Invalid signal: ${n}`, arg.span);
      }
      return types.noneType;
    },
    emit(args, ec) {
      const arg = args[0] as Expr;
      const sig = arg.kind === 'String' ? String(signalNumbers[arg.value.startsWith('SIG') ? arg.value : `SIG${arg.value}`]) : `(__u32)(${ec.expr(arg)})`;
      return `((void)${helper}(${sig}))`;
    },
  };
}

const sendSignal = signalSender('__builtin_signal', 'bpf_send_signal', 'signal()', `:variant void __builtin_signal(uint32 signum)
:variant void __builtin_signal(const string sig)
Sends signal \`sig\` (a number, or a name such as \`"SIGKILL"\` or \`"KILL"\`) to
the current process with the BPF helper \`send_signal\`. No safety checks: the
\`signal()\` macro adds them.`);

const sendSignalThread = signalSender('__builtin_signal_thread', 'bpf_send_signal_thread', 'signal_thread()', `:variant void __builtin_signal_thread(uint32 signum)
:variant void __builtin_signal_thread(const string sig)
As \`__builtin_signal\`, to the current thread only (the BPF helper
\`send_signal_thread\`). The \`signal_thread()\` macro adds the safety checks.`);

export const signalBuiltins: Builtin[] = [safeMode, sendSignal, sendSignalThread];
