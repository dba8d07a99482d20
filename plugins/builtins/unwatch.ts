// unwatch(addr): the probe sends the address; user space detaches every
// watchpoint probe on it (watchpoint:ADDR:len:mode), so it fires no more.
import { types, type Action, type ActionHandler, type ArgLayout, type Builtin, type NewAction } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg } from './define.ts';

/** unwatch(): the record holds the address at `arg` (a u64). */
export interface UnwatchAction extends Action {
  kind: 'unwatch';
  arg: ArgLayout;
}

export const unwatch: Builtin = {
  name: 'unwatch',
  doc: `:variant void unwatch(void * addr)
**async**

Removes the watchpoints on address \`addr\` (\`watchpoint:ADDR:len:mode\`
probes): user space detaches them when it handles the event, so a few more
hits may arrive before.

\`\`\`
watchpoint:0x601040:8:w { @writes = count(); if (@writes == 10) { unwatch(0x601040); } }
\`\`\``,
  statementOnly: true,
  check(args, tc, span) {
    expectArgs('unwatch', args, 1, 1, tc, span);
    const t = tc.typeOf(exprArg(args[0]!, tc));
    if (t.kind !== 'int' && t.kind !== 'pointer') tc.fail(`unwatch() only supports integer arguments (${types.typeName(t)} provided)`, args[0]!.span);
    return types.noneType;
  },
  emit(args, ec) {
    const id = ec.action({ kind: 'unwatch', arg: { type: types.uint64, offset: 8 } } satisfies NewAction<UnwatchAction>);
    return ec.event(id, [{ type: types.uint64, c: `((__u64)(${ec.expr(args[0] as Expr)}))` }]).c;
  },
};

const unwatchHandler: ActionHandler<UnwatchAction> = {
  kind: 'unwatch',
  open: (session) => ({
    handle(action, record) {
      const address = `0x${BigInt(session.value(record, action.arg).value as bigint).toString(16)}`;
      session.detachProbes((p) => p.provider === 'watchpoint' && p.target.address === address);
    },
  }),
};

export const unwatchHandlers: ActionHandler[] = [unwatchHandler];
