// Operators: binary arithmetic, comparisons and logic with C's 64-bit
// integer rules made explicit (signedness, pointer steps, signed division
// through prelude helpers), unary operators, and `++`/`--`.
import type * as A from '../syntax/ast.ts';
import { isSigned } from '../types/index.ts';
import { addressOf } from './address-of.ts';
import { division } from './arithmetic.ts';
import type { ProbeEmitter } from './emitter.ts';
import { updateMap } from './map-access.ts';
import { readPointee } from './memory-reads.ts';

export function binary(em: ProbeEmitter, e: A.Binary): string {
  const lt = em.typeOf(e.left);
  const rt = em.typeOf(e.right);
  if ((e.op === '==' || e.op === '!=') && lt.kind === 'string' && rt.kind === 'string') {
    const a = em.name('sa');
    const b = em.name('sb');
    // A big string is compared where it is (the frame, a map's memory).
    const side = (v: string, t: typeof lt, c: string) => (em.isBig(t) ? `${em.ctypes.name(t)} *${v} = &(${c});` : `${em.ctypes.name(t)} ${v}_v = ${c}; ${em.ctypes.name(t)} *${v} = &${v}_v;`);
    const eq = em.isBig(lt) || em.isBig(rt)
      ? `({ ${side(a, lt, em.expr(e.left))} ${side(b, rt, em.expr(e.right))} bs_streq(${a}->s, ${lt.size}, ${b}->s, ${rt.size}); })`
      : `({ ${em.ctypes.name(lt)} ${a} = ${em.expr(e.left)}; ${em.ctypes.name(rt)} ${b} = ${em.expr(e.right)}; bs_streq(${a}.s, ${lt.size}, ${b}.s, ${rt.size}); })`;
    return e.op === '==' ? `((__u8)${eq})` : `((__u8)!${eq})`;
  }
  if ((e.op === '==' || e.op === '!=') && lt.kind === 'array' && rt.kind === 'array') return arraysEqual(em, e);
  if ((e.op === '==' || e.op === '!=') && lt.kind === 'buffer' && rt.kind === 'buffer') return buffersEqual(em, e, Math.min(lt.size, rt.size));
  const l = em.expr(e.left);
  const r = em.expr(e.right);
  const step = em.types.pointerSteps.get(e);
  if (step !== undefined) {
    const [p, n] = lt.kind === 'pointer' ? [l, r] : [r, l];
    return `((__u64)(${p}) ${e.op} (__u64)((__s64)(${n}) * ${step}))`;
  }
  if (e.op === '&&' || e.op === '||') return `((__u8)(((${l}) != 0) ${e.op} ((${r}) != 0)))`;
  // Pointers compare as addresses (unsigned): kernel addresses have the top bit set.
  const signed = (isSigned(lt) || isSigned(rt)) && lt.kind !== 'pointer' && rt.kind !== 'pointer';
  const ct = signed ? '__s64' : '__u64';
  if (['==', '!=', '<', '<=', '>', '>='].includes(e.op)) return `((__u8)((${ct})(${l}) ${e.op} (${ct})(${r})))`;
  const resultT = em.typeOf(e);
  const rct = isSigned(resultT) ? '__s64' : '__u64';
  const nonZeroDivisor = (em.types.constants.get(e.right) ?? 0n) !== 0n;
  if ((e.op === '/' || e.op === '%') && !nonZeroDivisor) return division(em, e.op, `(${ct})(${l})`, `(${ct})(${r})`, rct === '__s64', e.span);
  // BPF before ISA v4 has no signed division: prelude helpers do it with unsigned ops.
  if ((e.op === '/' || e.op === '%') && rct === '__s64') return `${e.op === '/' ? 'bs_sdiv' : 'bs_smod'}((__s64)(${l}), (__s64)(${r}))`;
  return `((${rct})(${ct})(${l}) ${e.op} (${rct})(${ct})(${r}))`;
}

/** Buffers: one length, and the same bytes up to it (`within`: the smaller capacity; a longer length differs anyway). */
function buffersEqual(em: ProbeEmitter, e: A.Binary, within: number): string {
  const [a, b, i, eq] = [em.name('ba'), em.name('bb'), em.name('i'), em.name('eq')];
  const same = `({ ${em.ctypes.name(em.typeOf(e.left))} ${a} = ${em.expr(e.left)}; ${em.ctypes.name(em.typeOf(e.right))} ${b} = ${em.expr(e.right)}; __u8 ${eq} = ${a}.len == ${b}.len; for (__u32 ${i} = 0; ${eq} && ${i} < ${within}; ${i}++) if (${i} < ${a}.len && ${a}.data[${i}] != ${b}.data[${i}]) ${eq} = 0; ${eq}; })`;
  return e.op === '==' ? `((__u8)${same})` : `((__u8)!${same})`;
}

/** Integer arrays of one type, element by element. */
function arraysEqual(em: ProbeEmitter, e: A.Binary): string {
  const t = em.typeOf(e.left);
  const length = t.kind === 'array' ? t.length : 0;
  const [a, b, i, eq] = [em.name('aa'), em.name('ab'), em.name('i'), em.name('eq')];
  const ct = em.ctypes.name(t);
  const same = `({ ${ct} ${a} = ${em.expr(e.left)}; ${ct} ${b} = ${em.expr(e.right)}; __u8 ${eq} = 1; for (__u32 ${i} = 0; ${i} < ${length}; ${i}++) if (${a}.a[${i}] != ${b}.a[${i}]) { ${eq} = 0; break; } ${eq}; })`;
  return e.op === '==' ? `((__u8)${same})` : `((__u8)!${same})`;
}

export function unary(em: ProbeEmitter, e: A.Unary): string {
  if (e.op === '*') return readPointee(em, e.operand, '0', em.typeOf(e));
  if (e.op === '&') return addressOf(em, e);
  const v = em.expr(e.operand);
  if (e.op === '!') return `(!(${v}))`;
  if (e.op === '-') return `(-(__s64)(${v}))`;
  return `(~(${v}))`;
}

/** `++`/`--` on a variable or a map value; a pointer moves by one element. */
export function update(em: ProbeEmitter, e: A.Update): string {
  if (e.target.kind === 'Variable') {
    const v = em.variable(e.target);
    const step = em.types.pointerSteps.get(e);
    if (step !== undefined) {
      const op = e.op === '++' ? '+' : '-';
      return e.prefix ? `(${v} ${op}= ${step})` : `((${v} ${op}= ${step}) ${op === '+' ? '-' : '+'} ${step})`;
    }
    return e.prefix ? `(${e.op}${v})` : `(${v}${e.op})`;
  }
  return updateMap(em, e, e.target);
}
