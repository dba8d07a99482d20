// Maps keyed by stacks as folded stacks, the format flame-graph tools read:
// one line per distinct stack, frames from the root to the leaf joined by
// `;`, then a space and the value (`bash;main;read;vfs_read 12`). A map
// folds when its key holds a kstack or ustack (alone or in a tuple) and its
// value is a count() or sum(). Other key parts go first, as frames of their
// own (a process name becomes the root of its stacks), then user stacks,
// then kernel stacks (user code calls into the kernel). Offsets are dropped
// (`vfs_read+5` -> `vfs_read`) so samples of one function add up.
import type { MapInfo, Value, ValueType } from '../../../core/manifest/index.ts';
import { formatValue, type EnumNames } from '../../../lib/render/index.ts';
import type { MapSnapshot } from '../../../sdk/index.ts';

export interface FoldedStack {
  frames: string[];
  value: number;
}

type KeyPart = 'kstack' | 'ustack' | 'other';

/** What a foldable map's key is made of: its parts, and whether the key is a tuple of them. */
export interface FoldedKey {
  parts: KeyPart[];
  tuple: boolean;
}

/** What a key type (as compiled, before rendering) holds: a stack, or something else. */
function partOf(t: ValueType): KeyPart {
  const render = (t.kind === 'int' || t.kind === 'tuple') && t.render ? t.render.kind : undefined;
  return render === 'kstack' || render === 'ustack' ? render : 'other';
}

/** A map's key as the compiler made it, or undefined when the map does not fold (no stack in its key, or not a count or sum). */
export function foldedKey(info: MapInfo): FoldedKey | undefined {
  if (info.value.kind !== 'count' && info.value.kind !== 'sum') return undefined;
  const key = info.keyType;
  if (!key) return undefined;
  const tuple = key.kind === 'tuple' && !key.render;
  const parts = tuple ? key.elements.map((e) => partOf(e.type)) : [partOf(key)];
  return parts.some((p) => p !== 'other') ? { parts, tuple } : undefined;
}

/** A rendered stack's frames, root first, without offsets (bpftrace and perf modes). */
export function stackFrames(text: string): string[] {
  const frames = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      // perf mode: `ffffffff8123 vfs_read+5 ([kernel.kallsyms])`.
      const perf = /^[0-9a-f]+ (\S+) \(.*\)$/.exec(l);
      return (perf ? perf[1]! : l).replace(/\+(0x[0-9a-f]+|\d+)$/, '').replace(/;/g, ':');
    });
  return frames.reverse();
}

/**
 * The folded stacks of a map snapshot (rendered: stacks are text), with the
 * map's key parts from its compiled MapInfo; equal stacks add up, sorted.
 */
export function foldSnapshot(snap: MapSnapshot, key: FoldedKey, enumNames?: EnumNames): FoldedStack[] {
  const { parts } = key;
  const keyType = snap.info.keyType!;
  const types = key.tuple && keyType.kind === 'tuple' ? keyType.elements.map((el) => el.type) : [keyType];
  const sums = new Map<string, number>();
  for (const e of snap.entries) {
    const values = key.tuple ? (e.key as Value[]) : [e.key as Value];
    const frames = [
      ...parts.flatMap((p, i) => (p === 'other' ? [formatValue(values[i] ?? null, types[i] ?? keyType, { enumNames }).replace(/;/g, ':')] : [])),
      ...parts.flatMap((p, i) => (p === 'ustack' ? stackFrames(String(values[i])) : [])),
      ...parts.flatMap((p, i) => (p === 'kstack' ? stackFrames(String(values[i])) : [])),
    ];
    const line = (frames.length ? frames : ['[unknown]']).join(';');
    const v = e.value as { kind: string; value?: bigint };
    sums.set(line, (sums.get(line) ?? 0) + Number(v.value ?? 0n));
  }
  return [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([line, value]) => ({ frames: line.split(';'), value }));
}

/** Folded text: `root;...;leaf value` per stack. */
export function formatFolded(stacks: readonly FoldedStack[]): string {
  return stacks.map((s) => `${s.frames.join(';')} ${s.value}\n`).join('');
}
