// join(argv, sep): the C half sends one record per argument (a whole argv
// would not fit the BPF stack), then one that ends the list; the handler
// gathers each CPU's arguments and prints them joined when the list ends.
import { types, type Action, type ActionHandler, type Builtin, type NewAction } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg } from './define.ts';

/** The most argv entries join() reads, as bpftrace's default. */
export const JOIN_MAX_ARGS = 16;
/** The record index that ends an argument list. */
const JOIN_END = 0xffffffff;

/**
 * join(): records `{ u64 id; u32 cpu; u32 index; char arg[argSize] }`, one
 * per argument, then one with index JOIN_END; grouped by the CPU that sent them.
 */
export interface JoinAction extends Action {
  kind: 'join';
  separator: string;
  argSize: number;
}

const join: Builtin = {
  name: 'join',
  doc: `:variant void join(char *arr[], [char * sep = ' '])
**async**

Prints the strings of the NULL-terminated array \`arr\` (an \`argv\`) on one
line, separated by \`sep\`: at most 16 of them, each at most \`max_strlen\`
bytes. The strings are read in the kernel and printed in user space; \`join\`
has no value.

\`\`\`
tracepoint:syscalls:sys_enter_execve { join(args.argv); }
\`\`\``,
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
    const id = ec.action({ kind: 'join', separator: sep?.kind === 'String' ? sep.value : ' ', argSize } satisfies NewAction<JoinAction>);
    const strType = types.stringType(argSize);
    const str = ec.ctype(strType);
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

const joinHandler: ActionHandler<JoinAction> = {
  kind: 'join',
  open(session) {
    /** Arguments received so far, by the CPU that sends them. */
    const joins = new Map<number, string[]>();
    const print = (text: string) => session.output.textMessage('join', text, session.writer);
    return {
      handle(action, record) {
        const { view, offset } = record;
        const cpu = view.getUint32(offset + 8, true);
        const index = view.getUint32(offset + 12, true);
        const parts = joins.get(cpu) ?? [];
        if (index !== JOIN_END) {
          parts.push(session.value(record, { offset: 16, type: types.stringType(action.argSize) }).value as string);
          joins.set(cpu, parts);
          return;
        }
        joins.delete(cpu);
        print(parts.join(action.separator));
      },
      // Argument lists still open when the program ends (their end record was lost) are printed as they are.
      finish() {
        for (const [cpu, parts] of joins) {
          joins.delete(cpu);
          print(parts.join(' '));
        }
      },
    };
  },
};

export const joinBuiltins: Builtin[] = [join];
export const joinHandlers: ActionHandler[] = [joinHandler];
