// Map value functions: count, sum, avg, min, max, stats, hist, lhist, tseries. They
// only stand as `@m[...] = f(...)`; each keeps per-CPU state merged on read.
import { types, type Builtin, type BuiltinArgNode, type CheckContext, type EmitContext, type MapValueKind, type Span, type TseriesAgg } from '../../sdk/index.ts';
import { tseriesNow } from './tseries-clock.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg, withDoc } from './define.ts';

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

function aggregation(
  name: string,
  arity: [number, number],
  valueKind: (args: BuiltinArgNode[], tc: CheckContext, span: Span) => MapValueKind,
  update: (args: Expr[], value: string, map: string, key: string, kind: MapValueKind, ec: EmitContext) => string,
): Builtin {
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
        return update(args as Expr[], value, map, key, kind, ec);
      },
    },
  };
}

/** tseries() interval and slot count: positive integer literals (durations included), as upstream. */
function tseriesLiteral(what: string, arg: BuiltinArgNode, tc: CheckContext): bigint {
  if (arg.kind !== 'Integer') return tc.fail(`tseries: invalid ${what} value (must be non-negative literal)`, arg.span);
  if (arg.value <= 0n) tc.fail(`tseries() ${what} must be >= 1 (${arg.value} provided)`, arg.span);
  return arg.value;
}

const TSERIES_AGGS: readonly TseriesAgg[] = ['avg', 'max', 'min', 'sum'];
const TSERIES_AGG_CODE: Record<TseriesAgg, number> = { none: 0, avg: 1, max: 2, min: 3, sum: 4 };

function tseriesKind(args: BuiltinArgNode[], tc: CheckContext): MapValueKind {
  const { signed } = intArg('tseries', args[0], tc);
  const interval = tseriesLiteral('interval_ns', args[1], tc);
  const num = tseriesLiteral('num_intervals', args[2], tc);
  if (num > 1000000n) tc.fail(`tseries() num_intervals must be < 1000000 (${num} provided)`, args[2].span);
  let agg: TseriesAgg = 'none';
  if (args[3]) {
    const a = args[3];
    if (a.kind !== 'String') return tc.fail('tseries() aggregation function must be a string literal', a.span);
    if (!TSERIES_AGGS.includes(a.value as TseriesAgg)) {
      tc.fail(`tseries() expects one of the following aggregation functions: ${TSERIES_AGGS.join(', ')} ("${a.value}" provided)`, a.span);
    }
    agg = a.value as TseriesAgg;
  }
  return { kind: 'tseries', interval, num: Number(num), agg, signed };
}

/** Slot = epoch % num where epoch = clock ns / interval (the boot clock; see tseries-clock.ts); the helper restarts a stale slot. Its value is the helper's. */
function tseriesUpdate(v: string, map: string, key: string, kind: MapValueKind, ec: EmitContext): string {
  const k = kind as Extract<MapValueKind, { kind: 'tseries' }>;
  return `({ __u64 __ts_now = ${tseriesNow(ec)}; __u64 __ts_epoch = __ts_now / ${k.interval}ULL; ` +
    `${key}.bucket = __ts_epoch % ${k.num}ULL; ` +
    `bs_agg_tseries(&${map}, &${key}, ${v}, __ts_epoch, __ts_now, ${TSERIES_AGG_CODE[k.agg]}, ${k.signed ? 1 : 0}); })`;
}

const add = (_a: Expr[], v: string, map: string, key: string) => `bs_agg_add(&${map}, &${key}, ${v})`;

export const aggregationBuiltins: Builtin[] = [
  withDoc(
    aggregation('count', [0, 0], () => ({ kind: 'count' }), (_a, _v, map, key) => `bs_agg_add(&${map}, &${key}, 1)`),
    `:variant count_t count()
Counts the calls: \`@x = count()\` adds one to \`@x\` each time. Each CPU counts
in its own slot, so no update is lost; the slots are summed when the map is
read.

\`\`\`
tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }
\`\`\``,
  ),
  withDoc(
    aggregation('sum', [1, 1], (args, tc) => ({ kind: 'sum', ...intArg('sum', args[0], tc) }), add),
    `:variant sum_t sum(int64 n)
Adds \`n\` to the map value: the running total of every \`n\` passed (per CPU,
summed when read).

\`\`\`
tracepoint:syscalls:sys_exit_read /args.ret > 0/ { @bytes[comm] = sum(args.ret); }
\`\`\``,
  ),
  withDoc(
    aggregation('min', [1, 1], (args, tc) => ({ kind: 'min', ...intArg('min', args[0], tc) }),
      (_a, v, map, key, kind) => `bs_agg_minmax(&${map}, &${key}, ${v}, 0, ${(kind as { signed: boolean }).signed ? 1 : 0})`),
    `:variant min_t min(int64 n)
Keeps the smallest \`n\` passed. The map value starts unset: the first \`n\`
is the minimum until a smaller one comes.`,
  ),
  withDoc(
    aggregation('max', [1, 1], (args, tc) => ({ kind: 'max', ...intArg('max', args[0], tc) }),
      (_a, v, map, key, kind) => `bs_agg_minmax(&${map}, &${key}, ${v}, 1, ${(kind as { signed: boolean }).signed ? 1 : 0})`),
    `:variant max_t max(int64 n)
Keeps the largest \`n\` passed (one argument: the other side of the
comparison is the value already in the map).

\`\`\`
tracepoint:syscalls:sys_exit_read { @largest[comm] = max(args.ret); }
\`\`\``,
  ),
  withDoc(
    aggregation('avg', [1, 1], (args, tc) => ({ kind: 'avg', ...intArg('avg', args[0], tc) }), (_a, v, map, key) => `bs_agg_avg(&${map}, &${key}, ${v})`),
    `:variant avg_t avg(int64 n)
The running average of every \`n\` passed: a count and a total are kept, and
the average (total / count) is computed when the map is read or printed.`,
  ),
  withDoc(
    aggregation('stats', [1, 1], (args, tc) => ({ kind: 'stats', ...intArg('stats', args[0], tc) }), (_a, v, map, key) => `bs_agg_avg(&${map}, &${key}, ${v})`),
    `:variant stats_t stats(int64 n)
\`count\`, \`avg\` and \`sum\` of \`n\` in one value, printed as
\`count 7, average 1, total 7\`.`,
  ),
  withDoc(
    aggregation('hist', [1, 2], (args, tc) => {
      intArg('hist', args[0], tc);
      const bits = args[1] ? constArg('hist', 'second argument', args[1], tc) : 0n;
      if (bits < 0n || bits > 5n) tc.fail(`hist: bits ${bits} must be 0..5`, args[1].span);
      return { kind: 'hist', bits: Number(bits) };
    }, (_a, v, map, key, kind) => `(${key}.bucket = __bt_hist_bucket(${v}, ${(kind as { bits: number }).bits}), bs_agg_add(&${map}, &${key}, 1))`),
    `:variant hist_t hist(int64 n[, int k])
A power-of-two histogram of \`n\`: one bucket per power of two, each split into
2^\`k\` buckets (\`k\` from 0 to 5, default 0). Printed with a bar per bucket.

\`\`\`
tracepoint:syscalls:sys_exit_read /args.ret > 0/ { @bytes = hist(args.ret); }
\`\`\``,
  ),
  withDoc(
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
      return `(${key}.bucket = __bt_lhist_bucket(${v}, ${k.min}LL, ${k.max}LL, ${k.step}LL), bs_agg_add(&${map}, &${key}, 1))`;
    }),
    `:variant lhist_t lhist(int64 n, int64 min, int64 max, int64 step)
A linear histogram of \`n\`: buckets of \`step\` from \`min\` to \`max\`, plus one
for values below \`min\` and one for values at or above \`max\`. \`min\`, \`max\` and
\`step\` are constants.

\`\`\`
interval:ms:1 { @ = lhist(rand % 10, 0, 10, 1); }
\`\`\``,
  ),
  withDoc(
    aggregation('tseries', [3, 4], (args, tc) => tseriesKind(args, tc), (_a, v, map, key, kind, ec) => tseriesUpdate(v, map, key, kind, ec)),
    `:variant tseries_t tseries(int64 n, int64 interval_ns, int64 num_intervals)
:variant tseries_t tseries(int64 n, int64 interval_ns, int64 num_intervals, const string agg)
A time series of \`n\`: the last \`num_intervals\` intervals of \`interval_ns\`
nanoseconds each (a literal; duration suffixes such as \`100ms\` or \`1s\` are
accepted). Each interval keeps the last value recorded in it, or, with \`agg\`,
the \`"avg"\`, \`"max"\`, \`"min"\` or \`"sum"\` of its values. Printed as a graph
over time.

\`\`\`
interval:ms:10 { @ = tseries(rand % 10, 100ms, 20, "max"); }
\`\`\``,
  ),
];
