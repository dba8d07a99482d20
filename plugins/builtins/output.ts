// Async output builtins: printf, print, exit. Each registers an action in the
// Manifest and sends an event record; user space formats it.
import { types, type Builtin, type BuiltinArgNode, type CheckContext, type DistributiveOmit, type EmitContext, type Span, type ValueType } from '../../sdk/index.ts';
import type { Action, ArgLayout } from '../../core/manifest/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { checkPrintfArgs } from '../../lib/render/index.ts';
import { expectArgs, exprArg } from './define.ts';

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
  action: (format: string, args: ArgLayout[], span: Span) => DistributiveOmit<Action, 'id'>,
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

const printf = formattedBuiltin('printf', (format, args) => ({ kind: 'printf', format, args }));

/** Offsets of event fields after the u64 action id (the layout ec.event emits). */
function eventOffsets(fields: ValueType[]): number[] {
  return types.layoutFields([types.uint64, ...fields]).offsets.slice(1);
}

function convertForEvent(c: string, from: ValueType, to: ValueType, ctype: (t: ValueType) => string): string {
  if (from.kind === 'int' && to.kind === 'int' && from.size !== to.size) return `((${ctype(to)})(${c}))`;
  return c;
}

const print: Builtin = {
  name: 'print',
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
      const id = ec.action({ kind: 'print_map', map: map.name, top, div });
      return ec.event(id, []).c;
    }
    const e = first as Expr;
    const t = types.storageType(ec.typeOf(e));
    const id = ec.action({ kind: 'print_value', arg: { type: t, offset: eventOffsets([t])[0] } });
    return ec.event(id, [{ type: t, c: convertForEvent(ec.expr(e), ec.typeOf(e), t, ec.ctype) }]).c;
  },
};

const exit: Builtin = {
  name: 'exit',
  statementOnly: true,
  endsProbe: true,
  check(args, tc, span) {
    expectArgs('exit', args, 0, 1, tc, span);
    if (args[0] && tc.typeOf(exprArg(args[0], tc)).kind !== 'int') tc.fail('exit() code must be an integer', args[0].span);
    return types.noneType;
  },
  emit(args, ec) {
    const id = ec.action({ kind: 'exit' });
    const code = args[0] ? `((__u64)(${ec.expr(args[0] as Expr)}))` : '0ULL';
    const ev = ec.event(id, [{ type: types.uint64, c: code }]);
    // Like bpftrace, the rest of the probe does not run after exit().
    return `({ ${ev.c}; return 0; })`;
  },
};

export const outputBuiltins: Builtin[] = [printf, print, exit];
