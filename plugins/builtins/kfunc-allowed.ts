// `__builtin_kfunc_allowed(name)`: whether this probe's program may call a
// kfunc, as the kernel's verifier answers (stdlib/task.bt's comm(pid) asks
// it for bpf_task_from_pid). Folded at compile time.
import { types, type Builtin } from '../../sdk/index.ts';
import { expectArgCount } from './arg-checks.ts';

export const kfuncAllowed: Builtin = {
  name: '__builtin_kfunc_allowed',
  doc: `:variant bool __builtin_kfunc_allowed(const string kfunc)
Whether this probe's program may call kernel function \`kfunc\` on the running
kernel: a program of its type calling it is loaded to see (false when the
kernel has no such function). Folded at compile time.`,
  check(args, tc, span) {
    expectArgCount('__builtin_kfunc_allowed', args, 1, 1, tc, span);
    if (args[0]!.kind !== 'String') tc.fail('__builtin_kfunc_allowed() expects a string literal', args[0]!.span);
    return types.boolType;
  },
  constant: (args, tc) => (tc.kfuncAllowed((args[0] as { value: string }).value) ? 1n : 0n),
  emit() {
    throw new Error('__builtin_kfunc_allowed is folded at compile time');
  },
};
