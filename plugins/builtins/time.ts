// Wall-clock time: time() sends an event and its handler prints the current
// time; strftime() only tags its value's type, and its renderer turns the
// boot-clock timestamp into local wall-clock text wherever the value is
// printed (the session's offset shifts it to the real-time clock).
import { types, type Action, type ActionHandler, type Builtin, type NewAction, type RenderTag, type ValueRenderer } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { MAX_TIME_TEXT, wallClockText } from '../../lib/render/index.ts';
import { expectArgs, exprArg } from './define.ts';

/** time()'s format when none is given, as bpftrace. */
export const DEFAULT_TIME_FORMAT = '%H:%M:%S\n';

function literalFormat(name: string, arg: Expr | undefined, fallback: string, tc: Parameters<Builtin['check']>[1]): string {
  if (!arg) return fallback;
  if (arg.kind !== 'String') return tc.fail(`${name}: The first argument must be a string literal`, arg.span);
  return arg.value;
}

/** time(format): the record holds nothing more; the time is taken when it arrives. */
export interface TimeAction extends Action {
  kind: 'time';
  format: string;
}

const time: Builtin = {
  name: 'time',
  doc: `:variant void time([const string fmt])
**async**

Prints the current wall-clock time through \`strftime(3)\`'s format \`fmt\`
(default \`"%H:%M:%S\\n"\`). The time is taken when user space handles the
event, not when the probe ran (use \`strftime\` for that).

\`\`\`
interval:s:1 { time("%H:%M:%S "); printf("%d\\n", @n); }
\`\`\``,
  statementOnly: true,
  check(args, tc, span) {
    expectArgs('time', args, 0, 1, tc, span);
    literalFormat('time', args[0] as Expr | undefined, DEFAULT_TIME_FORMAT, tc);
    return types.noneType;
  },
  emit(args, ec) {
    const fmt = args[0] as Expr | undefined;
    const id = ec.action({ kind: 'time', format: fmt?.kind === 'String' ? fmt.value : DEFAULT_TIME_FORMAT } satisfies NewAction<TimeAction>);
    return ec.event(id, []).c;
  },
};

/** strftime()'s values: nanoseconds of the boot clock, printed through a strftime(3) format (`%f` adds microseconds). */
export interface StrftimeTag extends RenderTag {
  kind: 'strftime';
  format: string;
}

const strftime: Builtin = {
  name: 'strftime',
  doc: `:variant timestamp strftime(const string fmt, uint64 timestamp_ns)
Formats \`timestamp_ns\`, nanoseconds of the boot clock (what \`nsecs\` gives),
as the wall-clock time it was, through \`strftime(3)\`'s format \`fmt\`; \`%f\`
adds the microseconds. The text is made in user space, when the value is
printed (with \`%s\`, \`print\` or as a map key or value).

\`\`\`
tracepoint:syscalls:sys_enter_execve { printf("%s %s\\n", strftime("%H:%M:%S.%f", nsecs), comm); }
\`\`\``,
  check(args, tc, span) {
    expectArgs('strftime', args, 2, 2, tc, span);
    const format = literalFormat('strftime', args[0] as Expr, '', tc);
    const t = tc.typeOf(exprArg(args[1]!, tc));
    if (t.kind !== 'int') tc.fail(`strftime() expects an integer timestamp (nanoseconds since boot), got ${types.typeName(t)}`, args[1]!.span);
    const render: StrftimeTag = { kind: 'strftime', format };
    return { ...types.uint64, render };
  },
  emit(args, ec) {
    return `((__u64)(${ec.expr(args[1] as Expr)}))`;
  },
};

const timeHandler: ActionHandler<TimeAction> = {
  kind: 'time',
  open: (session) => ({
    handle: (action) => session.output.textMessage('time', wallClockText(session.runtime, action.format, session.runtime.clockNs('realtime')), session.writer),
  }),
};

const strftimeRenderer: ValueRenderer = {
  kind: 'strftime',
  open: (session) => (bootNs, tag) => ({
    value: wallClockText(session.runtime, (tag as StrftimeTag).format, bootNs + session.bootToRealtimeNs, { micros: true }),
    type: { kind: 'string', size: MAX_TIME_TEXT },
  }),
};

export const timeBuiltins: Builtin[] = [time, strftime];
export const timeHandlers: ActionHandler[] = [timeHandler];
export const timeRenderers: ValueRenderer[] = [strftimeRenderer];
