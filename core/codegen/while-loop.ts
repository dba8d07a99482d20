// `while (cond) { ... }`. Where the kernel has open-coded numeric iterators
// (bpf_iter_num_*), the loop runs inside one bounded by the kernel's loop
// limit (BPF_MAX_LOOPS, as bpf_loop): the verifier then needs no bound of its
// own for the loop. Without them it stays a plain C loop.
import type * as A from '../syntax/ast.ts';
import type { ProbeEmitter } from './emitter.ts';
import { hasNumIterators, iteratorLoop } from './num-iterator.ts';

/** The kernel's most iterations of one loop (BPF_MAX_LOOPS, bpf_loop's limit too). */
const MAX_LOOPS = 8 * 1024 * 1024;

export function whileLoop(em: ProbeEmitter, s: A.While): void {
  if (!hasNumIterators(em)) {
    em.line(`while (${em.cond(s.cond)}) { ${em.state.loopMarker(s.span)}`);
    em.loops.push('c');
    em.nested(s.body.statements);
    em.loops.pop();
    em.line('}');
    return;
  }
  iteratorLoop(em, s.span, s.body.statements, {
    start: () => String(MAX_LOOPS),
    readsIndex: false,
    head: () => {
      em.line(`if (!(${em.cond(s.cond)}))`);
      em.line('  break;');
    },
  });
}
