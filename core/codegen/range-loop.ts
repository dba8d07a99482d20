// `for ($i : a..b)`. Where the kernel has open-coded numeric iterators
// (bpf_iter_num_*, kernel 6.4), the loop runs on one: the verifier checks its
// body once, whatever the bound, so `0..100000` loads (a plain C loop is
// explored iteration by iteration and fails with E2BIG past a few thousand).
// Without them it stays a plain C loop. Both evaluate the bounds once.
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

export function rangeFor(em: ProbeEmitter, s: A.For, range: A.Range): void {
  if (hasNumIterators(em)) iteratorFor(em, s, range);
  else cFor(em, s, range);
}

/**
 * The iterator lives in a block of its own; the cleanup attribute destroys it
 * on every way out of the block (the end, break, return), as the verifier
 * requires. Naming bpf_iter_num_destroy once makes clang emit its BTF, which a
 * call only through cleanup() does not.
 */
function iteratorFor(em: ProbeEmitter, s: A.For, range: A.Range): void {
  em.state.declare(NUM_ITERATOR_DECLARATIONS);
  const v = em.variable(s.variable);
  const n = em.freshNumber();
  em.line('{');
  em.indent++;
  // The end first, as the C loop evaluates them.
  em.line(`__s64 __end${n} = ${em.expr(range.to)};`);
  em.line(`__s64 __from${n} = ${em.expr(range.from)};`);
  em.line(`struct bs_iter_num __it${n} __attribute__((cleanup(bpf_iter_num_destroy)));`);
  em.line(`int *__k${n};`);
  em.line('(void)bpf_iter_num_destroy;');
  em.line(`bpf_iter_num_new(&__it${n}, 0, bs_range_count(__from${n}, __end${n}));`);
  em.line(`while ((__k${n} = bpf_iter_num_next(&__it${n}))) { ${em.state.loopMarker(s.span)}`);
  em.indent++;
  em.line(`${v} = __from${n} + *__k${n};`);
  em.indent--;
  em.loops.push('c');
  em.nested(s.body.statements);
  em.loops.pop();
  em.line('}');
  em.indent--;
  em.line('}');
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
