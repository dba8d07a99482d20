// Conversions between value types (assignments, casts, map keys and values):
// integer widths and signedness, strings of another capacity, tuples and
// records element by element, and reinterpreting the bytes of arrays.
import type { ValueType } from '../manifest/index.ts';
import { recordField } from './ctypes.ts';
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
    return `((${em.ctypes.name(to)})(${c}))`;
  }
  if (to.kind === 'string' && from.kind === 'string') {
    if (from.size === to.size) return c;
    const src = em.name('src');
    const dst = em.name('dst');
    const n = Math.min(from.size, to.size);
    return `({ ${em.ctypes.name(from)} ${src} = ${c}; ${em.ctypes.name(to)} ${dst} = {}; __builtin_memcpy(${dst}.s, ${src}.s, ${n}); ${dst}.s[${to.size - 1}] = 0; ${dst}; })`;
  }
  if (to.kind === 'tuple' && from.kind === 'tuple') {
    if (em.ctypes.name(from) === em.ctypes.name(to)) return c;
    const src = em.name('src');
    const parts = to.elements.map((el, i) => `.f${i} = ${convertValue(em, `${src}.f${i}`, from.elements[i].type, el.type, false)}`);
    return `({ ${em.ctypes.name(from)} ${src} = ${c}; (${em.ctypes.name(to)}){ ${parts.join(', ')} }; })`;
  }
  if (to.kind === 'record' && from.kind === 'record') {
    if (em.ctypes.name(from) === em.ctypes.name(to)) return c;
    const src = em.name('src');
    // By name: a record of the same fields in another order converts too.
    const parts = to.fields.map((f) => {
      const g = from.fields.find((x) => x.name === f.name)!;
      return `.${recordField(f.name)} = ${convertValue(em, `${src}.${recordField(g.name)}`, g.type, f.type, false)}`;
    });
    return `({ ${em.ctypes.name(from)} ${src} = ${c}; (${em.ctypes.name(to)}){ ${parts.join(', ')} }; })`;
  }
  return c;
}
