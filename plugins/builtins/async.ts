// Async builtins done in user space: time(), strftime(), errorf()/warnf(),
// cat(), system() and join(). Each sends an event record (strftime only tags
// its value's type); the session does the work when the event arrives.
import { types, type Builtin, type ValueType } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg } from './define.ts';
import { formattedBuiltin } from './output.ts';

/** time()'s format when none is given, as bpftrace. */
export const DEFAULT_TIME_FORMAT = '%H:%M:%S\n';
/** The most argv entries join() reads, as bpftrace's default. */
export const JOIN_MAX_ARGS = 16;
/** join()'s record index that ends an argument list. */
export const JOIN_END = 0xffffffff;

function literalFormat(name: string, arg: Expr | undefined, fallback: string, tc: Parameters<Builtin['check']>[1]): string {
  if (!arg) return fallback;
  if (arg.kind !== 'String') return tc.fail(`${name}: The first argument must be a string literal`, arg.span);
  return arg.value;
}

const time: Builtin = {
  name: 'time',
  statementOnly: true,
  check(args, tc, span) {
    expectArgs('time', args, 0, 1, tc, span);
    literalFormat('time', args[0] as Expr | undefined, DEFAULT_TIME_FORMAT, tc);
    return types.noneType;
  },
  emit(args, ec) {
    const fmt = args[0] as Expr | undefined;
    const id = ec.action({ kind: 'time', format: fmt?.kind === 'String' ? fmt.value : DEFAULT_TIME_FORMAT });
    return ec.event(id, []).c;
  },
};

function timestampType(format: string): ValueType {
  return { ...types.uint64, strftime: format };
}

const strftime: Builtin = {
  name: 'strftime',
  check(args, tc, span) {
    expectArgs('strftime', args, 2, 2, tc, span);
    const format = literalFormat('strftime', args[0] as Expr, '', tc);
    const t = tc.typeOf(exprArg(args[1]!, tc));
    if (t.kind !== 'int') tc.fail(`strftime() expects an integer timestamp (nanoseconds since boot), got ${types.typeName(t)}`, args[1]!.span);
    return timestampType(format);
  },
  emit(args, ec) {
    return `((__u64)(${ec.expr(args[1] as Expr)}))`;
  },
};

const logf = (name: 'errorf' | 'warnf', severity: 'error' | 'warning'): Builtin =>
  formattedBuiltin(name, (format, args, span) => ({ kind: 'logf', severity, format, args, span }));

const cat = formattedBuiltin('cat', (format, args) => ({ kind: 'cat', format, args }));

const system = formattedBuiltin('system', (format, args) => ({ kind: 'system', format, args }), (tc, span) => {
  if (!tc.config.unsafe) tc.fail('system() is an unsafe function being used in safe mode', span);
});

const join: Builtin = {
  name: 'join',
  statementOnly: true,
  check(args, tc, span) {
    expectArgs('join', args, 1, 2, tc, span);
    const t = tc.typeOf(exprArg(args[0]!, tc));
    if (t.kind !== 'pointer' && t.kind !== 'int') tc.fail(`join() expects a char *[] (an array of string pointers), got ${types.typeName(t)}`, args[0]!.span);
    const sep = args[1];
    if (sep && sep.kind !== 'String') tc.fail('join: The separator must be a string literal', sep.span);
    return types.noneType;
  },
  emit(args, ec) {
    const sep = args[1] as Expr | undefined;
    const argSize = ec.config.maxStrlen;
    const id = ec.action({ kind: 'join', separator: sep?.kind === 'String' ? sep.value : ' ', argSize });
    const strType = types.stringType(argSize);
    const str = ec.ctype(strType);
    // Every argument goes in its own record (a whole argv would not fit the BPF stack); user space joins them.
    const record = (index: string, arg: string) =>
      ec.event(id, [
        { type: types.uint32, c: '((__u32)bpf_get_smp_processor_id())' },
        { type: types.uint32, c: index },
        { type: strType, c: arg },
      ]).c;
    const readArg = `({ ${str} __js = {}; if (bpf_probe_read_user_str(__js.s, ${argSize}, __jp) < 0) bpf_probe_read_kernel_str(__js.s, ${argSize}, __jp); __js; })`;
    return `({ const char *const *__jargv = (const char *const *)(__u64)(${ec.expr(args[0] as Expr)});
  for (__u32 __ji = 0; __ji < ${JOIN_MAX_ARGS}; __ji++) {
    const char *__jp = 0;
    if (bpf_probe_read_user(&__jp, sizeof(__jp), &__jargv[__ji]) < 0 && bpf_probe_read_kernel(&__jp, sizeof(__jp), &__jargv[__ji]) < 0) break;
    if (!__jp) break;
    ${record('__ji', readArg)};
  }
  ${record(`${JOIN_END}U`, `((${str}){})`)}; })`;
  },
};

export const asyncBuiltins: Builtin[] = [time, strftime, logf('errorf', 'error'), logf('warnf', 'warning'), cat, system, join];
