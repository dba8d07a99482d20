// Conversions between value types (assignments, casts, map keys and values):
// integer widths and signedness, strings and buffers of another capacity, tuples and
// records element by element, and reinterpreting the bytes of arrays.
import type { ValueType } from '../manifest/index.ts';
import { bigAggregate } from './big-values.ts';
import { recordField } from './ctypes.ts';
import { sizeOf } from '../types/index.ts';
import type { ProbeEmitter } from './emitter.ts';

/**
 * The C value `c` of type `from` as a value of type `to` (the type pass
 * checked they are compatible). `explicit` (a cast) always spells the target
 * integer type.
 */
export function convertValue(em: ProbeEmitter, c: string, from: ValueType, to: ValueType, explicit: boolean): string {
  if (to.kind === 'array' || (to.kind === 'int' && from.kind === 'array')) {
    if (from.kind === to.kind && em.ctypes.name(from) === em.ctypes.name(to)) return c;
    // Same bytes, another type (the type pass checked the sizes match).
    const src = em.name('src');
    const dst = em.name('dst');
    return `({ ${em.ctypes.name(from)} ${src} = ${c}; ${em.ctypes.name(to)} ${dst}; __builtin_memcpy(&${dst}, &${src}, sizeof(${dst})); ${dst}; })`;
  }
  if (to.kind === 'int' || to.kind === 'bool' || to.kind === 'pointer') {
    if (to.kind === 'bool') return `((__u8)((${c}) != 0))`;
    if (from.kind === 'int' && to.kind === 'int' && from.size === to.size && from.signed === to.signed && !explicit) return c;
    // An address is the integer's bytes zero-extended, as upstream's int-to-pointer casts (LLVM inttoptr).
    if (to.kind === 'pointer' && from.kind === 'int' && from.signed && from.size < 8) return `((${em.ctypes.name(to)})(__u64)(__u${from.size * 8})(${c}))`;
    return `((${em.ctypes.name(to)})(${c}))`;
  }
  if (to.kind === 'string' && from.kind === 'string') {
    if (from.size === to.size) return c;
    if (em.isBig(from) || em.isBig(to)) return resizeBigString(em, c, from, to);
    const src = em.name('src');
    const dst = em.name('dst');
    const n = Math.min(from.size, to.size);
    return `({ ${em.ctypes.name(from)} ${src} = ${c}; ${em.ctypes.name(to)} ${dst} = {}; __builtin_memcpy(${dst}.s, ${src}.s, ${n}); ${dst}.s[${to.size - 1}] = 0; ${dst}; })`;
  }
  if (to.kind === 'buffer' && from.kind === 'buffer') {
    if (from.size === to.size) return c;
    // Into a larger buffer (branches unify to the larger): the bytes and their length as they are.
    const src = em.name('src');
    const dst = em.name('dst');
    const n = Math.min(from.size, to.size);
    return `({ ${em.ctypes.name(from)} ${src} = ${c}; ${em.ctypes.name(to)} ${dst} = {}; ${dst}.len = ${src}.len < ${n} ? ${src}.len : ${n}; __builtin_memcpy(${dst}.data, ${src}.data, ${n}); ${dst}; })`;
  }
  if (to.kind === 'tuple' && from.kind === 'tuple') {
    if (em.ctypes.name(from) === em.ctypes.name(to)) return c;
    const src = em.name('src');
    if (em.isBig(to)) {
      const prefix = em.isBig(from) ? `${em.ctypes.name(from)} *${src} = &(${c}); ` : `${em.ctypes.name(from)} ${src}_v = ${c}; ${em.ctypes.name(from)} *${src} = &${src}_v; `;
      return bigAggregate(em, to, to.elements.map((el, i) => ({ member: `f${i}`, type: el.type, c: convertValue(em, `${src}->f${i}`, from.elements[i].type, el.type, false) })), prefix);
    }
    const parts = to.elements.map((el, i) => `.f${i} = ${convertValue(em, `${src}.f${i}`, from.elements[i].type, el.type, false)}`);
    return `({ ${em.ctypes.name(from)} ${src} = ${c}; (${em.ctypes.name(to)}){ ${parts.join(', ')} }; })`;
  }
  if (to.kind === 'record' && from.kind === 'record') {
    if (em.ctypes.name(from) === em.ctypes.name(to)) return c;
    const src = em.name('src');
    // By name: a record of the same fields in another order converts too.
    const source = (name: string) => from.fields.find((x) => x.name === name)!;
    if (em.isBig(to)) {
      const prefix = em.isBig(from) ? `${em.ctypes.name(from)} *${src} = &(${c}); ` : `${em.ctypes.name(from)} ${src}_v = ${c}; ${em.ctypes.name(from)} *${src} = &${src}_v; `;
      return bigAggregate(em, to, to.fields.map((f) => {
        const g = source(f.name);
        return { member: recordField(f.name), type: f.type, c: convertValue(em, `${src}->${recordField(g.name)}`, g.type, f.type, false) };
      }), prefix);
    }
    const parts = to.fields.map((f) => {
      const g = source(f.name);
      return `.${recordField(f.name)} = ${convertValue(em, `${src}.${recordField(g.name)}`, g.type, f.type, false)}`;
    });
    return `({ ${em.ctypes.name(from)} ${src} = ${c}; (${em.ctypes.name(to)}){ ${parts.join(', ')} }; })`;
  }
  return c;
}

/**
 * A string of another capacity where one side is big: the bytes that fit are
 * copied by a helper into a zeroed string, its last byte a NUL (as for small
 * strings). A big source is read where it is; a big result is a frame slot.
 */
function resizeBigString(em: ProbeEmitter, c: string, from: ValueType, to: ValueType): string {
  const n = Math.min(sizeOf(from), sizeOf(to));
  const src = em.name('src');
  const dst = em.name('dst');
  const source = em.isBig(from) ? `${em.ctypes.name(from)} *${src} = &(${c});` : `${em.ctypes.name(from)} ${src}_v = ${c}; ${em.ctypes.name(from)} *${src} = &${src}_v;`;
  if (!em.isBig(to)) return `({ ${source} ${em.ctypes.name(to)} ${dst} = {}; bs_big_copy(${dst}.s, ${src}->s, ${n}); ${dst}.s[${sizeOf(to) - 1}] = 0; ${dst}; })`;
  const slot = em.temp(to);
  return `(*({ ${source} ${em.ctypes.name(to)} *${dst} = &${slot}; bs_big_zero(${dst}, sizeof(*${dst})); bs_big_copy(${dst}->s, ${src}->s, ${n}); ${dst}->s[${sizeOf(to) - 1}] = 0; ${dst}; }))`;
}
