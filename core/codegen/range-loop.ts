// `for ($i : a..b)`. Where the kernel has open-coded numeric iterators
// (bpf_iter_num_*, kernel 6.4), the loop runs on one, so `0..100000` loads.
// Without them it stays a plain C loop. Both evaluate the bounds once.
import type * as A from '../syntax/ast.ts';
import type { ProbeEmitter } from './emitter.ts';
import { hasNumIterators, iteratorLoop } from './num-iterator.ts';

export function rangeFor(em: ProbeEmitter, s: A.For, range: A.Range): void {
  if (hasNumIterators(em)) iteratorFor(em, s, range);
  else cFor(em, s, range);
}

function iteratorFor(em: ProbeEmitter, s: A.For, range: A.Range): void {
  const v = em.variable(s.variable);
  iteratorLoop(em, s.span, s.body.statements, {
    start: (n) => {
      // The end first, as the C loop evaluates them.
      em.line(`__s64 __end${n} = ${em.expr(range.to)};`);
      em.line(`__s64 __from${n} = ${em.expr(range.from)};`);
      return `bs_range_count(__from${n}, __end${n})`;
    },
    readsIndex: true,
    head: (n) => em.line(`${v} = __from${n} + *__k${n};`),
  });
}

/** A plain C loop; the end is evaluated once. */
function cFor(em: ProbeEmitter, s: A.For, range: A.Range): void {
  const v = em.variable(s.variable);
  const end = em.name('end');
  em.temps.push(`__s64 ${end} = 0`);
  em.line(`${end} = ${em.expr(range.to)};`);
  em.line(`for (${v} = ${em.expr(range.from)}; ${v} < ${end}; ${v}++) { ${em.state.loopMarker(s.span)}`);
  em.loops.push('c');
  em.nested(s.body.statements);
  em.loops.pop();
  em.line('}');
}
