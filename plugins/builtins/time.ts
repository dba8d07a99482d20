// Time: `nsecs([clock])` and the intrinsic under stdlib/time.bt's `elapsed`
// read the kernel's clocks; time() sends an event and its handler prints the
// current time; strftime() only tags its value's type, and its renderer turns
// the timestamp into local wall-clock text wherever the value is printed
// (boot-clock values are shifted by the session's offset to the real-time
// clock, TAI ones taken as they are, as bpftrace does).
import { types, type IntType, type Action, type ActionHandler, type Builtin, type NewAction, type RenderTag, type ValueRenderer } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { MAX_TIME_TEXT, wallClockText } from '../../lib/render/index.ts';
import { expectArgs, exprArg } from './define.ts';
import { argKindName, expectArgCount } from './arg-checks.ts';

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

/** strftime()'s values: nanoseconds of the boot clock (or TAI), printed through a strftime(3) format (`%f` adds microseconds). */
export interface StrftimeTag extends RenderTag {
  kind: 'strftime';
  format: string;
  /** The clock of the timestamps: boot, or TAI (which counts from the epoch already). */
  clock: 'boot' | 'tai';
}

/** The kernel clocks `nsecs` reads, by bpftrace's names. */
const clocks: Record<string, { c: string; tag?: IntType['clock'] }> = {
  boot: { c: 'bpf_ktime_get_boot_ns()' },
  monotonic: { c: 'bpf_ktime_get_ns()', tag: 'monotonic' },
  tai: { c: 'bpf_ktime_get_tai_ns()', tag: 'tai' },
  sw_tai: { c: 'bpf_ktime_get_tai_ns()', tag: 'sw_tai' },
};

const nsecs: Builtin = {
  name: 'nsecs',
  doc: `:variant uint64 nsecs([TimestampMode mode])
A timestamp in nanoseconds from one of the kernel's clocks; \`boot\` when none is named.

* \`nsecs(boot)\`: time since boot, suspended time included (CLOCK_BOOTTIME)
* \`nsecs(monotonic)\`: time since boot, suspended time left out (CLOCK_MONOTONIC)
* \`nsecs(tai)\`: International Atomic Time (CLOCK_TAI)
* \`nsecs(sw_tai)\`: the same clock here (bpftrace approximates it on kernels without TAI in BPF)

Boot and TAI timestamps can be given to \`strftime\`; monotonic ones cannot.

\`\`\`
tracepoint:syscalls:sys_enter_read { @start[tid] = nsecs; }
tracepoint:syscalls:sys_exit_read /@start[tid]/ { @ns = hist(nsecs - @start[tid]); delete(@start, tid); }
\`\`\``,
  bareword: true,
  check(args, tc, span) {
    expectArgCount('nsecs', args, 0, 1, tc, span);
    const a = args[0];
    if (!a) return types.uint64;
    if (a.kind !== 'Identifier') return tc.fail(`nsecs() only supports timestamp_mode arguments (${argKindName(a, tc)} provided)`, span);
    const clock = clocks[a.name];
    if (!clock) return tc.fail(`Invalid timestamp mode: ${a.name}`, a.span);
    return clock.tag ? { ...types.uint64, clock: clock.tag } : types.uint64;
  },
  emit(args) {
    const a = args[0];
    return (a?.kind === 'Identifier' ? clocks[a.name]! : clocks.boot!).c;
  },
};

const elapsed: Builtin = {
  name: '__builtin_elapsed',
  doc: `:variant uint64 __builtin_elapsed()
Nanoseconds of the monotonic clock since the program was loaded; stdlib's \`elapsed\`.`,
  bareword: true,
  check(args, tc, span) {
    expectArgCount('__builtin_elapsed', args, 0, 0, tc, span);
    return types.uint64;
  },
  emit(_args, ec) {
    return `(bpf_ktime_get_ns() - ${ec.setting('start_ns')})`;
  },
};

const strftime: Builtin = {
  name: 'strftime',
  doc: `:variant timestamp strftime(const string fmt, uint64 timestamp_ns)
Formats \`timestamp_ns\`, nanoseconds of the boot clock (what \`nsecs\` gives)
or of the TAI clock (\`nsecs(tai)\`), as the wall-clock time it was, through
\`strftime(3)\`'s format \`fmt\`; \`%f\` adds the microseconds. The text is made
in user space, when the value is printed (with \`%s\`, \`print\` or as a map key
or value). Monotonic timestamps (\`nsecs(monotonic)\`) and negative constants
are compile errors.

\`\`\`
tracepoint:syscalls:sys_enter_execve { printf("%s %s\\n", strftime("%H:%M:%S.%f", nsecs), comm); }
\`\`\``,
  check(args, tc, span) {
    expectArgs('strftime', args, 2, 2, tc, span);
    const format = literalFormat('strftime', args[0] as Expr, '', tc);
    const ts = exprArg(args[1]!, tc);
    const t = tc.typeOf(ts);
    if (t.kind !== 'int') return tc.fail(`strftime() expects an integer timestamp (nanoseconds since boot), got ${types.typeName(t)}`, args[1]!.span);
    if (t.clock === 'monotonic') tc.fail('strftime() can not take a monotonic timestamp', span);
    const value = tc.constant(ts);
    if (value !== undefined && value < 0n) tc.fail('strftime() does not accept negative timestamps', span);
    const render: StrftimeTag = { kind: 'strftime', format, clock: t.clock ? 'tai' : 'boot' };
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
    value: wallClockText(session.runtime, (tag as StrftimeTag).format, (tag as StrftimeTag).clock === 'tai' ? bootNs : bootNs + session.bootToRealtimeNs, { micros: true }),
    type: { kind: 'string', size: MAX_TIME_TEXT },
  }),
};

export const timeBuiltins: Builtin[] = [nsecs, elapsed, time, strftime];
export const timeHandlers: ActionHandler[] = [timeHandler];
export const timeRenderers: ValueRenderer[] = [strftimeRenderer];
