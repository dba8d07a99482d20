// Async output builtins: printf, print, exit. Each registers an action in the
// Manifest and sends an event record (the C half); its ActionHandler turns the
// record into output (the user-space half).
import {
  types,
  type ActionHandler,
  type Builtin,
  type BuiltinArgNode,
  type CheckContext,
  type EmitContext,
  type NewAction,
  type PrintfAction,
  type Span,
  type ValueType,
} from '../../sdk/index.ts';
import type { Action, ArgLayout } from '../../core/manifest/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { checkPrintfArgs } from '../../lib/render/index.ts';
import { expectArgs, exprArg, withDoc } from './define.ts';

/** The check of a printf-like call (printf, errorf, warnf, cat, system): a literal format and arguments that fit it. */
function checkFormatted(name: string, args: BuiltinArgNode[], tc: CheckContext, span: Span): void {
  expectArgs(name, args, 1, Infinity, tc, span);
  const fmt = args[0];
  if (fmt.kind !== 'String') return tc.fail(`${name}: The first argument must be a string literal`, fmt.span);
  const argTypes = args.slice(1).map((a) => {
    const t = tc.typeOf(exprArg(a, tc));
    if (t.kind === 'none') tc.fail(`${name}: argument has no value`, a.span);
    return t;
  });
  const problem = checkPrintfArgs(fmt.value, argTypes);
  if (problem) tc.fail(problem, span);
}

/** A printf-like call's format, its arguments as event fields, and their layout in the record. */
function formattedFields(args: BuiltinArgNode[], ec: EmitContext): { format: string; fields: { type: ValueType; c: string }[]; layouts: ArgLayout[] } {
  const fmt = args[0] as Extract<Expr, { kind: 'String' }>;
  const fields = args.slice(1).map((a) => {
    const t = types.storageType(ec.typeOf(a as Expr));
    return { type: t, c: convertForEvent(ec.expr(a as Expr), ec.typeOf(a as Expr), t, ec.ctype) };
  });
  const offsets = eventOffsets(fields.map((f) => f.type));
  return { format: fmt.value, fields, layouts: fields.map((f, i) => ({ type: f.type, offset: offsets[i] })) };
}

/**
 * A statement builtin taking a literal format and printf's arguments, sent as
 * an event: printf, errorf, warnf, cat, system. `action` names what user space
 * does with it; `check` adds the builtin's own rules.
 */
export function formattedBuiltin(
  name: string,
  action: (format: string, args: ArgLayout[], span: Span) => NewAction,
  check?: (tc: CheckContext, span: Span) => void,
): Builtin {
  return {
    name,
    statementOnly: true,
    check(args, tc, span) {
      check?.(tc, span);
      checkFormatted(name, args, tc, span);
      return types.noneType;
    },
    emit(args, ec, span) {
      const { format, fields, layouts } = formattedFields(args, ec);
      return ec.event(ec.action(action(format, layouts, span)), fields).c;
    },
  };
}

const printf = withDoc(formattedBuiltin('printf', (format, args): NewAction<PrintfAction> => ({ kind: 'printf', format, args })), `:variant void printf(const string fmt, args...)
**async**

Formats its arguments with \`fmt\`, as C's \`printf\` does, and prints the text.
The format must be a string literal; the values are copied when the probe
runs and formatted in user space. Besides the usual conversions (\`%d\`, \`%llx\`,
\`%-10s\`, \`%hhu\`...), \`%r\`, \`%rx\` and \`%rh\` print buffers (see \`buf\`), \`%gr\`
prints GFP allocation flags by name (\`GFP_KERNEL\`, \`GFP_ATOMIC|__GFP_HIGHMEM\`),
and enum values print by name with \`%s\`.

\`\`\`
tracepoint:syscalls:sys_enter_openat { printf("%-16s %6d %s\\n", comm, pid, str(args.filename)); }
\`\`\``);

/** Offsets of event fields after the u64 action id (the layout ec.event emits). */
function eventOffsets(fields: ValueType[]): number[] {
  return types.layoutFields([types.uint64, ...fields]).offsets.slice(1);
}

function convertForEvent(c: string, from: ValueType, to: ValueType, ctype: (t: ValueType) => string): string {
  if (from.kind === 'int' && to.kind === 'int' && from.size !== to.size) return `((${ctype(to)})(${c}))`;
  return c;
}

/** print(value): the record holds the value at `arg`. */
export interface PrintValueAction extends Action {
  kind: 'print_value';
  arg: ArgLayout;
}

/** print(@map, top, div): the record holds nothing more. */
export interface PrintMapAction extends Action {
  kind: 'print_map';
  map: string;
  top: number;
  div: number;
}

const print: Builtin = {
  name: 'print',
  doc: `:variant void print(T val)
:variant void print(@map)
:variant void print(@map, uint64 top)
:variant void print(@map, uint64 top, uint64 div)
**async**

Prints a value, or a whole map, the way the output format prints it at the
end of the run. A value is copied when the probe runs; a map is read when
user space handles the event, so it may have changed since.

For maps, \`top\` keeps the \`top\` entries with the largest values and \`div\`
divides each value before it is printed.

\`\`\`
interval:s:1 { print(@bytes, 10); clear(@bytes); }
\`\`\``,
  statementOnly: true,
  check(args, tc, span) {
    expectArgs('print', args, 1, 3, tc, span);
    const first = args[0];
    if (first.kind === 'MapRef') {
      const m = tc.map(first);
      void m;
      for (const extra of args.slice(1)) {
        const e = exprArg(extra, tc);
        tc.typeOf(e);
        if (tc.constant(e) === undefined) tc.fail('print: top and div arguments must be integer constants', e.span);
      }
      return types.noneType;
    }
    if (args.length > 1) tc.fail('print() of a value takes one argument; top and div are only for maps', args[1].span);
    const t = tc.typeOf(exprArg(first, tc));
    if (t.kind === 'none') tc.fail('print: argument has no value', first.span);
    return types.noneType;
  },
  emit(args, ec) {
    const first = args[0];
    if (first.kind === 'MapRef') {
      const map = ec.map(first);
      const top = args[1] ? Number(ec.constant(args[1] as Expr) ?? 0n) : 0;
      const div = args[2] ? Number(ec.constant(args[2] as Expr) ?? 1n) : 1;
      const id = ec.action({ kind: 'print_map', map: map.name, top, div } satisfies NewAction<PrintMapAction>);
      return ec.event(id, []).c;
    }
    const e = first as Expr;
    const t = types.storageType(ec.typeOf(e));
    const id = ec.action({ kind: 'print_value', arg: { type: t, offset: eventOffsets([t])[0] } } satisfies NewAction<PrintValueAction>);
    return ec.event(id, [{ type: t, c: convertForEvent(ec.expr(e), ec.typeOf(e), t, ec.ctype) }]).c;
  },
};

/** exit(code): the record holds the code as a u64 at offset 8. */
export interface ExitAction extends Action {
  kind: 'exit';
}

const exit: Builtin = {
  name: 'exit',
  doc: `:variant void exit([int code])
**async**

Ends the run as Ctrl-C does: the rest of the probe does not run, nor does
any other probe that fires before the program is detached; \`end\` probes fire
and maps are printed. bpfscript exits with \`code\` (0 when none is given).

\`\`\`
tracepoint:syscalls:sys_enter_execve { printf("%s\\n", str(args.filename)); exit(); }
\`\`\``,
  statementOnly: true,
  endsProbe: true,
  check(args, tc, span) {
    expectArgs('exit', args, 0, 1, tc, span);
    if (args[0] && tc.typeOf(exprArg(args[0], tc)).kind !== 'int') tc.fail('exit() code must be an integer', args[0].span);
    return types.noneType;
  },
  emit(args, ec) {
    const id = ec.action({ kind: 'exit' } satisfies NewAction<ExitAction>);
    const code = args[0] ? `((__u64)(${ec.expr(args[0] as Expr)}))` : '0ULL';
    const ev = ec.event(id, [{ type: types.uint64, c: code }]);
    // Like bpftrace, the rest of the probe does not run after exit().
    return `({ ${ev.c}; return 0; })`;
  },
};

export const outputBuiltins: Builtin[] = [printf, print, exit];

const printfHandler: ActionHandler<PrintfAction> = {
  kind: 'printf',
  open: (session) => ({
    handle: (action, record) => session.output.printf(action, action.args.map((a) => session.value(record, a)), session.writer),
  }),
};

const printValueHandler: ActionHandler<PrintValueAction> = {
  kind: 'print_value',
  open: (session) => ({
    handle(action, record) {
      const shown = session.value(record, action.arg);
      session.output.printValue(shown.value, shown.type, session.writer);
    },
  }),
};

const printMapHandler: ActionHandler<PrintMapAction> = {
  kind: 'print_map',
  open: (session) => ({
    handle: (action) => session.output.printMap(session.snapshot(action.map, { zeroWhenEmpty: true }), { top: action.top, div: action.div }, session.writer),
  }),
};

const exitHandler: ActionHandler<ExitAction> = {
  kind: 'exit',
  open: (session) => ({
    handle: (_action, record) => session.exit(Number(BigInt.asIntN(32, record.view.getBigUint64(record.offset + 8, true)))),
  }),
};

export const outputHandlers: ActionHandler[] = [printfHandler, printValueHandler, printMapHandler, exitHandler];
