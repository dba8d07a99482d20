// Values too big for the BPF stack (strings of a large max_strlen, tuples and
// records holding them). BPF has 512 bytes of stack, and clang copies a struct
// inline only up to about 1 KB; upstream keeps such values in pre-allocated
// memory. Here a probe that has any big value keeps its locals struct (the
// `L` of map loops) in a per-CPU frame: one ARRAY map entry per possible CPU
// (the loader sizes it), holding the probe's variables and one slot per big
// temporary. Big values are C lvalues in that frame (or in a map's memory),
// copied and zeroed with a helper call; small values keep to the stack, so a
// script of small strings compiles as before.
import type { ValueType } from '../manifest/index.ts';
import type { InstanceTypes } from '../passes/types/index.ts';
import { sizeOf } from '../types/index.ts';
import type { ProbeEmitter } from './emitter.ts';

/** Values up to this size always stay on the stack (the default max_strlen's strings among them). */
export const STACK_VALUE_LIMIT = 128;

/**
 * The largest value kept on the stack: config `on_stack_limit` (upstream's
 * name), but at least STACK_VALUE_LIMIT, so small strings stay as cheap as
 * the stack makes them.
 */
export function stackValueLimit(onStackLimit: number): number {
  return Math.max(STACK_VALUE_LIMIT, onStackLimit);
}

/** Whether a value of `t` lives in the probe's frame rather than on the stack (`limit`: stackValueLimit()). */
export function isBig(t: ValueType, limit: number): boolean {
  return (t.kind === 'string' || t.kind === 'tuple' || t.kind === 'record') && sizeOf(t) > limit;
}

/**
 * Variables of a probe beyond this many bytes together go to its frame too:
 * the stack is left to temporaries (macros such as ntop() keep a variable per
 * call, which adds up in real tools).
 */
export const STACK_LOCALS_LIMIT = 256;

/** Whether a probe has any big value (an expression's or a variable's), or more variables than the stack should hold. */
export function needsFrame(types: InstanceTypes, limit: number): boolean {
  for (const t of types.exprTypes.values()) if (isBig(t, limit)) return true;
  let locals = 0;
  for (const t of types.varTypes.values()) {
    if (isBig(t, limit)) return true;
    locals += sizeOf(t);
  }
  return locals > STACK_LOCALS_LIMIT;
}

/**
 * Copy and zero for big values: bpf_probe_read_kernel copies any size the
 * verifier can bound, and zeroes its destination when the read fails (as it
 * does from address 0), which makes it the one memset BPF has for them.
 */
export const BIG_VALUE_C = `static __always_inline void bs_big_copy(void *dst, const void *src, __u32 n)
{
  bpf_probe_read_kernel(dst, n, src);
}

static __always_inline void bs_big_zero(void *dst, __u32 n)
{
  bpf_probe_read_kernel(dst, n, (const void *)0);
}
`;

/** The map of the frames of the probe function `functionName`. */
export function frameMapName(functionName: string): string {
  return `bs_frame_${functionName}`;
}

/** The slots of one probe's frame, members of its locals struct after the variables. */
export class ProbeFrame {
  readonly slots: { name: string; cType: string }[] = [];

  constructor(readonly functionName: string) {}

  /** The ARRAY map holding the frames, one per possible CPU. */
  get mapName(): string {
    return frameMapName(this.functionName);
  }

  /** A new slot of C type `cType`: its C lvalue through `L`. */
  slot(cType: string): string {
    const name = `__big${this.slots.length}`;
    this.slots.push({ name, cType });
    return `L->${name}`;
  }

  /** The map of frames (max_entries is set to the possible CPUs at load). */
  mapDeclaration(localsStruct: string): string {
    return [
      'struct {',
      '  __uint(type, BPF_MAP_TYPE_ARRAY);',
      '  __uint(max_entries, 1);',
      '  __type(key, __u32);',
      `  __type(value, ${localsStruct});`,
      `} ${this.mapName} SEC(".maps");`,
      '',
    ].join('\n');
  }
}

/** C that sets lvalue `dst` to `src` (an lvalue when the value is `big`): an expression. */
export function assignValue(big: boolean, dst: string, src: string): string {
  return big ? `bs_big_copy(&(${dst}), &(${src}), sizeof(${dst}))` : `${dst} = ${src}`;
}

/**
 * A big tuple or record built member by member in a slot of the frame: an
 * lvalue. `members` are C member names with their types and C values;
 * `prefix` is C run first (declarations the values use).
 */
export function bigAggregate(em: ProbeEmitter, t: ValueType, members: { member: string; type: ValueType; c: string }[], prefix = ''): string {
  const slot = em.temp(t);
  const p = em.name('agg');
  const sets = members.map((m) => `${em.assign(m.type, `${p}->${m.member}`, m.c)};`).join(' ');
  return `(*({ ${prefix}${em.ctypes.name(t)} *${p} = &${slot}; bs_big_zero(${p}, sizeof(*${p})); ${sets} ${p}; }))`;
}
