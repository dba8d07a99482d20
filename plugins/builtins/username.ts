// `__builtin_username(uid)` (under stdlib/task.bt's `username`): a user id
// tagged so that user space prints the user's name from /etc/passwd, as
// bpftrace's `username` does (an unknown id prints as an empty string).
import { readFileSync } from 'node:fs';
import { types, type Builtin, type ValueRenderer } from '../../sdk/index.ts';
import { userName } from '../../lib/host/index.ts';
import { argKindName, expectArgCount } from './arg-checks.ts';

function passwd(): string {
  try {
    return readFileSync('/etc/passwd', 'utf8');
  } catch {
    return '';
  }
}

const username: Builtin = {
  name: '__builtin_username',
  doc: `:variant username_t __builtin_username(uint64 uid)
\`uid\`, printed as the name /etc/passwd gives that user (resolved in user space
when the value is printed); stdlib's \`username\`.`,
  check(args, tc, span) {
    expectArgCount('__builtin_username', args, 1, 1, tc, span);
    const uid = args[0]!;
    if (uid.kind === 'TypeArg' || tc.typeOf(uid).kind !== 'int') tc.fail(`__builtin_username() only supports int arguments (${argKindName(uid, tc)} provided)`, span);
    return { ...types.uint64, render: { kind: 'username' } };
  },
  emit(args, ec) {
    return `((__u64)(${ec.expr(args[0] as Parameters<typeof ec.expr>[0])}))`;
  },
};

const usernameRenderer: ValueRenderer = {
  kind: 'username',
  open: () => (uid) => {
    // Read for each value, as bpftrace does: users made during the run are found.
    const name = userName(passwd(), uid);
    return { value: name, type: types.stringType(Buffer.byteLength(name) + 1) };
  },
};

export const usernameBuiltins: Builtin[] = [username];
export const usernameRenderers: ValueRenderer[] = [usernameRenderer];
