// Map value functions: count, sum, avg, min, max, stats, hist, lhist. They
// only stand as `@m[...] = f(...)`; each keeps per-CPU state merged on read.
import { types, type Builtin, type BuiltinArgNode, type CheckContext, type MapValueKind, type Span } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg } from './define.ts';

function intArg(name: string, arg: BuiltinArgNode, tc: CheckContext): { signed: boolean } {
  const t = tc.typeOf(exprArg(arg, tc));
  if (t.kind !== 'int' && t.kind !== 'bool') tc.fail(`${name}() expects an integer argument, got ${types.typeName(t)}`, arg.span);
  return { signed: t.kind === 'int' ? t.signed : false };
}

function constArg(name: string, what: string, arg: BuiltinArgNode, tc: CheckContext): bigint {
  const v = tc.constant(exprArg(arg, tc));
  if (v === undefined) return tc.fail(`${name}() ${what} must be a constant integer`, arg.span);
  return v;
}

function aggregation(name: string, arity: [number, number], valueKind: (args: BuiltinArgNode[], tc: CheckContext, span: Span) => MapValueKind, update: (args: Expr[], value: string, map: string, key: string, kind: MapValueKind) => string): Builtin {
  return {
    name,
    check(_args, tc, span) {
      return tc.fail(`${name}() must be assigned directly to a map`, span);
    },
    emit() {
      throw new Error(`${name}() is emitted through its aggregate`);
    },
    aggregate: {
      valueKind(args, tc, span) {
        expectArgs(name, args, arity[0], arity[1], tc, span);
        return valueKind(args, tc, span);
      },
      emitUpdate(args, ec, map, key, kind) {
        const value = args.length ? `((__s64)(${ec.expr(args[0] as Expr)}))` : '1';
        return update(args as Expr[], value, map, key, kind);
      },
    },
  };
}

const add = (_a: Expr[], v: string, map: string, key: string) => `bs_agg_add(&${map}, &${key}, ${v})`;

export const aggregationBuiltins: Builtin[] = [
  aggregation('count', [0, 0], () => ({ kind: 'count' }), (_a, _v, map, key) => `bs_agg_add(&${map}, &${key}, 1)`),
  aggregation('sum', [1, 1], (args, tc) => ({ kind: 'sum', ...intArg('sum', args[0], tc) }), add),
  aggregation('min', [1, 1], (args, tc) => ({ kind: 'min', ...intArg('min', args[0], tc) }),
    (_a, v, map, key, kind) => `bs_agg_minmax(&${map}, &${key}, ${v}, 0, ${(kind as { signed: boolean }).signed ? 1 : 0})`),
  aggregation('max', [1, 1], (args, tc) => ({ kind: 'max', ...intArg('max', args[0], tc) }),
    (_a, v, map, key, kind) => `bs_agg_minmax(&${map}, &${key}, ${v}, 1, ${(kind as { signed: boolean }).signed ? 1 : 0})`),
  aggregation('avg', [1, 1], (args, tc) => ({ kind: 'avg', ...intArg('avg', args[0], tc) }), (_a, v, map, key) => `bs_agg_avg(&${map}, &${key}, ${v})`),
  aggregation('stats', [1, 1], (args, tc) => ({ kind: 'stats', ...intArg('stats', args[0], tc) }), (_a, v, map, key) => `bs_agg_avg(&${map}, &${key}, ${v})`),
  aggregation('hist', [1, 2], (args, tc) => {
    intArg('hist', args[0], tc);
    const bits = args[1] ? constArg('hist', 'second argument', args[1], tc) : 0n;
    if (bits < 0n || bits > 5n) tc.fail(`hist: bits ${bits} must be 0..5`, args[1].span);
    return { kind: 'hist', bits: Number(bits) };
  }, (_a, v, map, key, kind) => `${key}.bucket = __bt_hist_bucket(${v}, ${(kind as { bits: number }).bits}); bs_agg_add(&${map}, &${key}, 1)`),
  aggregation('lhist', [4, 4], (args, tc, span) => {
    intArg('lhist', args[0], tc);
    const min = constArg('lhist', 'min', args[1], tc);
    const max = constArg('lhist', 'max', args[2], tc);
    const step = constArg('lhist', 'step', args[3], tc);
    if (step <= 0n) tc.fail('lhist() step must be >= 1', args[3].span);
    if (min < 0n) tc.fail('lhist() min must be non-negative', args[1].span);
    if (min >= max) tc.fail('lhist() min must be less than max', span);
    if ((max - min) / step > 1000n) tc.fail('lhist() too many buckets, must be <= 1000 (max-min)/step', span);
    return { kind: 'lhist', min, max, step };
  }, (_a, v, map, key, kind) => {
    const k = kind as { min: bigint; max: bigint; step: bigint };
    return `${key}.bucket = __bt_lhist_bucket(${v}, ${k.min}LL, ${k.max}LL, ${k.step}LL); bs_agg_add(&${map}, &${key}, 1)`;
  }),
];
