// Kernel types that need no kernel: two small structs as BTF would give them
// (`struct task_struct` with an embedded `struct sched_entity`), presented as
// lib/btf's BtfKernelTypes does (lazy fields, pointers carrying the BTF id),
// and their CO-RE declarations as lib/btf's CDeclarations makes them.
import type { KernelDeclarations, KernelMember, KernelTypes, NamedFieldLayout, ValueType } from '../../sdk/index.ts';

/** A kernel struct of the fixed BTF: its id, size and members (with their C declarations, for the CO-RE declarations). */
interface FixedStruct {
  id: number;
  name: string;
  size: number;
  members: (KernelMember & { c: string })[];
}

export const TASK_STRUCT_ID = 1;
export const SCHED_ENTITY_ID = 2;

const int32: ValueType = { kind: 'int', size: 4, signed: true };

/** In declaration order: a struct embedded by value comes before the struct that embeds it. */
const fixedStructs: FixedStruct[] = [
  {
    id: SCHED_ENTITY_ID,
    name: 'struct sched_entity',
    size: 16,
    members: [
      { name: 'on_rq', type: { kind: 'int', size: 4, signed: false }, offset: 0, c: 'unsigned int on_rq' },
      { name: 'vruntime', type: { kind: 'int', size: 8, signed: false }, offset: 8, c: 'unsigned long long vruntime' },
    ],
  },
  {
    id: TASK_STRUCT_ID,
    name: 'struct task_struct',
    size: 48,
    members: [
      { name: 'pid', type: int32, offset: 0, c: 'int pid' },
      { name: 'tgid', type: int32, offset: 4, c: 'int tgid' },
      { name: 'comm', type: { kind: 'string', size: 16 }, offset: 8, c: 'char comm[16]' },
      { name: 'parent', type: { kind: 'pointer', pointee: 'struct task_struct', btfId: TASK_STRUCT_ID }, offset: 24, c: 'struct task_struct *parent' },
      { name: 'se', type: { kind: 'struct', name: 'struct sched_entity', fields: [], size: 16, btfId: SCHED_ENTITY_ID }, offset: 32, c: 'struct sched_entity se' },
    ],
  },
];

function fixedStruct(id: number): FixedStruct {
  const s = fixedStructs.find((x) => x.id === id);
  if (!s) throw new Error(`fixed BTF: no type ${id}`);
  return s;
}

/** The value type of a fixed kernel struct (lazy, as BtfKernelTypes gives it: no fields until completed). */
function structType(s: FixedStruct): ValueType {
  return { kind: 'struct', name: s.name, fields: [], size: s.size, btfId: s.id };
}

/** The struct a value or a pointer denotes, if it is a fixed kernel struct. */
function structOf(t: ValueType): FixedStruct | undefined {
  if (t.kind === 'struct' && t.btfId !== undefined) return fixedStruct(t.btfId);
  if (t.kind === 'pointer' && t.btfId !== undefined) return fixedStruct(t.btfId);
  return undefined;
}

/** KernelTypes over the fixed BTF: `struct task_struct` and `struct sched_entity`, no enums, no functions. */
export const fixedKernelTypes: KernelTypes = {
  available: true,
  declarations: () => new FixedKernelDeclarations(),
  byName(name) {
    const s = fixedStructs.find((x) => x.name === name.trim().replace(/\s+/g, ' '));
    return s && structType(s);
  },
  fromId: (id) => structType(fixedStruct(id)),
  pointerTo(t) {
    if (t.kind === 'struct') return { kind: 'pointer', pointee: t.name, ...(t.btfId !== undefined ? { btfId: t.btfId } : {}) };
    return { kind: 'pointer', pointee: 'void' };
  },
  member(t, name) {
    const m = structOf(t)?.members.find((x) => x.name === name);
    return m && { name: m.name, type: m.type, offset: m.offset };
  },
  members: (t) => (structOf(t)?.members ?? []).map((m) => ({ name: m.name, type: m.type, offset: m.offset })),
  complete(t) {
    if (t.kind !== 'struct' || t.btfId === undefined || t.fields.length > 0) return t;
    const fields: NamedFieldLayout[] = fixedStruct(t.btfId).members
      .map((m) => ({ name: m.name, type: m.type.kind === 'struct' ? this.complete(m.type) : m.type, offset: m.offset }));
    return { ...t, fields };
  },
  rawTracepointArgs: () => undefined,
  functionSignature: () => undefined,
  variable: () => undefined,
  enumValues: () => undefined,
  // No layouts: code that would read a member at a fixed offset takes its path without one (a helper).
  memberLayout: () => undefined,
};

/**
 * CO-RE declarations of the fixed kernel structs, as lib/btf's CDeclarations
 * makes them: each struct spelled, with only the members used, marked
 * `preserve_access_index`. `used` lists the members (`task_struct.pid`).
 */
export class FixedKernelDeclarations implements KernelDeclarations {
  private readonly spelled = new Set<number>();
  private readonly usedMembers = new Map<number, Set<string>>();

  spell(typeId: number): string {
    this.spelled.add(typeId);
    return fixedStruct(typeId).name;
  }

  useMember(typeId: number, name: string): void {
    this.spell(typeId);
    const set = this.usedMembers.get(typeId) ?? new Set<string>();
    set.add(name);
    this.usedMembers.set(typeId, set);
  }

  get used(): string[] {
    return [...this.usedMembers].flatMap(([id, names]) => [...names].map((n) => `${fixedStruct(id).name.replace(/^struct /, '')}.${n}`)).sort();
  }

  emit(): string {
    return fixedStructs
      .filter((s) => this.spelled.has(s.id))
      .map((s) => {
        const used = this.usedMembers.get(s.id) ?? new Set<string>();
        const members = s.members.filter((m) => used.has(m.name)).map((m) => `  ${m.c};\n`).join('');
        return `${s.name} {\n${members}} __attribute__((preserve_access_index));\n`;
      })
      .join('\n');
  }
}
