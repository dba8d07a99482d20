// Arithmetic whose C is not C's own operator: division and modulo as
// bpftrace has them (a zero divisor gives 1 and a run-time warning; signed
// division through prelude helpers), and compound assignments that move a
// pointer by whole elements.
import type * as A from '../syntax/ast.ts';
import type { Span } from '../diagnostics/index.ts';
import type { ProbeEmitter } from './emitter.ts';
import { RUNTIME_ERRORS, runtimeError } from './events.ts';

/**
 * `a / b`, `a % b` as bpftrace has them: a zero divisor gives 1 and a
 * run-time warning. BPF before ISA v4 has no signed division: prelude
 * helpers do it with unsigned ops.
 */
export function division(em: ProbeEmitter, op: '/' | '%', l: string, r: string, signed: boolean, span: Span): string {
  const t = signed ? '__s64' : '__u64';
  const a = em.name('dl');
  const b = em.name('dr');
  const quotient = signed ? `${op === '/' ? 'bs_sdiv' : 'bs_smod'}(${a}, ${b})` : `${a} ${op} ${b}`;
  return `({ ${t} ${a} = ${l}; ${t} ${b} = ${r}; ${b} == 0 ? (${runtimeError(em, RUNTIME_ERRORS.divideByZero, span)}, (${t})1) : ${quotient}; })`;
}

/**
 * The new value of a compound assignment (`x op= v`) whose old value is
 * `old`, where it is not C's own: division (bpftrace's zero divisor; a
 * constant non-zero one needs no check) and a pointer moved by `step`-byte
 * elements; undefined where C's `op=` is right.
 */
export function compoundValue(em: ProbeEmitter, s: A.Assign, old: string, value: string, signed: boolean): string | undefined {
  const step = em.types.pointerSteps.get(s);
  if (step !== undefined) return `((__u64)(${old}) ${s.op === '-=' ? '-' : '+'} (__u64)((__s64)(${value}) * ${step}))`;
  if (s.op !== '/=' && s.op !== '%=') return undefined;
  const op = s.op === '/=' ? '/' : '%';
  if ((em.types.constants.get(s.value) ?? 0n) !== 0n) return signed ? `${op === '/' ? 'bs_sdiv' : 'bs_smod'}(${old}, ${value})` : undefined;
  return division(em, op, old, value, signed, s.span);
}
