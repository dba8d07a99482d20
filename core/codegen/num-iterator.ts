// Loops on open-coded numeric iterators (bpf_iter_num_*, kernel 6.4): the
// verifier checks the body once, whatever the bound, so long loops load (a
// plain C loop is explored iteration by iteration and fails with E2BIG past a
// few thousand). `for ($i : a..b)` and `while` both run on one.
import type { Span } from '../diagnostics/index.ts';
import type * as A from '../syntax/ast.ts';
import type { ProbeEmitter } from './emitter.ts';

/**
 * The kfuncs, declared on a struct of our own name (the kernel checks their
 * arguments against its own BTF; libbpf matches structs by kind, not name, and
 * older uapi headers do not define `struct bpf_iter_num`). The count is clamped
 * to an int: a range longer than the kernel's 8M-iteration limit makes
 * bpf_iter_num_new refuse, and the loop runs no iteration (as bpf_loop refuses).
 */
export const NUM_ITERATOR_DECLARATIONS = `struct bs_iter_num { __u64 opaque; } __attribute__((aligned(8)));
extern int bpf_iter_num_new(struct bs_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bs_iter_num *it) __ksym;
extern void bpf_iter_num_destroy(struct bs_iter_num *it) __ksym;

static __always_inline int bs_range_count(__s64 from, __s64 end)
{
  if (end <= from)
    return 0;
  __u64 n = (__u64)end - (__u64)from;
  return n > 0x7fffffff ? 0x7fffffff : (int)n;
}
`;

/** Whether the running kernel has the numeric iterator kfuncs (its BTF lists them). */
export function hasNumIterators(em: ProbeEmitter): boolean {
  return em.kernelTypes.available && em.kernelTypes.functionSignature('bpf_iter_num_new') !== undefined;
}

/** What one loop adds to the iterator's frame; `n` names the loop's own C locals. */
export interface IteratorLoopParts {
  /** Emits what is evaluated once before the loop; returns the iteration count (a C int). */
  start(n: number): string;
  /** Whether each iteration reads its index (`*__kN`, 0 up). */
  readsIndex: boolean;
  /** Emits the top of each iteration, before the body. */
  head(n: number): void;
}

/**
 * The iterator lives in a block of its own; the cleanup attribute destroys it
 * on every way out of the block (the end, break, return), as the verifier
 * requires. Naming bpf_iter_num_destroy once makes clang emit its BTF, which a
 * call only through cleanup() does not.
 */
export function iteratorLoop(em: ProbeEmitter, span: Span, body: A.Stmt[], parts: IteratorLoopParts): void {
  em.state.declare(NUM_ITERATOR_DECLARATIONS);
  const n = em.freshNumber();
  em.line('{');
  em.indent++;
  const count = parts.start(n);
  em.line(`struct bs_iter_num __it${n} __attribute__((cleanup(bpf_iter_num_destroy)));`);
  if (parts.readsIndex) em.line(`int *__k${n};`);
  em.line('(void)bpf_iter_num_destroy;');
  em.line(`bpf_iter_num_new(&__it${n}, 0, ${count});`);
  const next = `bpf_iter_num_next(&__it${n})`;
  em.line(`while (${parts.readsIndex ? `(__k${n} = ${next})` : next}) { ${em.state.loopMarker(span)}`);
  em.indent++;
  parts.head(n);
  em.indent--;
  em.loops.push('c');
  em.nested(body);
  em.loops.pop();
  em.line('}');
  em.indent--;
  em.line('}');
}
