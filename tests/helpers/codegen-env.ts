// A fixed compile environment for tests that call the type pass and codegen
// directly, without the running kernel: fake kernel types (two small structs,
// as BTF would give them), a fake tracefs with one tracepoint, the real
// builtins, and the begin/end, interval and tracepoint providers.
import type { Container } from 'inversify';
import { createContainer } from '../../core/index.ts';
import { parse } from '../../core/syntax/index.ts';
import { errorAt } from '../../core/diagnostics/index.ts';
import { expandProbes, ProviderRegistry } from '../../core/probes/index.ts';
import { checkProgram, type TypedProgram } from '../../core/passes/types/index.ts';
import { generate, type GeneratedUnit } from '../../core/codegen/index.ts';
import {
  type KernelDeclarations,
  defaultConfig, Services, type Builtin, type KernelMember, type KernelTypes, type NamedFieldLayout, type ProviderEnv, type RuntimeConfig,
  type Tracefs, type TracepointFormat, type ValueType,
} from '../../sdk/index.ts';
import { beginEndPlugin, intervalPlugin, tracepointPlugin } from '../../providers/index.ts';
import { builtinsPlugin } from '../../plugins/builtins/index.ts';

/** A kernel struct of the fake BTF: its id, size and members (with their C declarations, for the CO-RE declarations). */
interface FakeStruct {
  id: number;
  name: string;
  size: number;
  members: (KernelMember & { c: string })[];
}

export const TASK_STRUCT_ID = 1;
export const SCHED_ENTITY_ID = 2;

const int32: ValueType = { kind: 'int', size: 4, signed: true };

/** In declaration order: a struct embedded by value comes before the struct that embeds it. */
const fakeStructs: FakeStruct[] = [
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

function fakeStruct(id: number): FakeStruct {
  const s = fakeStructs.find((x) => x.id === id);
  if (!s) throw new Error(`fake BTF: no type ${id}`);
  return s;
}

/** The value type of a fake kernel struct (lazy, as BtfKernelTypes gives it: no fields until completed). */
function structType(s: FakeStruct): ValueType {
  return { kind: 'struct', name: s.name, fields: [], size: s.size, btfId: s.id };
}

/** The struct a value or a pointer denotes, if it is a fake kernel struct. */
function structOf(t: ValueType): FakeStruct | undefined {
  if (t.kind === 'struct' && t.btfId !== undefined) return fakeStruct(t.btfId);
  if (t.kind === 'pointer' && t.btfId !== undefined) return fakeStruct(t.btfId);
  return undefined;
}

/** KernelTypes over the fake BTF: `struct task_struct` and `struct sched_entity`, no enums, no functions. */
export const fakeKernelTypes: KernelTypes = {
  available: true,
  declarations: () => new FakeKernelDeclarations(),
  byName(name) {
    const s = fakeStructs.find((x) => x.name === name.trim().replace(/\s+/g, ' '));
    return s && structType(s);
  },
  fromId: (id) => structType(fakeStruct(id)),
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
    const fields: NamedFieldLayout[] = fakeStruct(t.btfId).members
      .map((m) => ({ name: m.name, type: m.type.kind === 'struct' ? this.complete(m.type) : m.type, offset: m.offset }));
    return { ...t, fields };
  },
  rawTracepointArgs: () => undefined,
  functionSignature: () => undefined,
  enumValues: () => undefined,
};

/**
 * CO-RE declarations of the fake kernel structs, as lib/btf's CDeclarations
 * makes them: each struct spelled, with only the members used, marked
 * `preserve_access_index`. `used` lists the members (`task_struct.pid`).
 */
export class FakeKernelDeclarations implements KernelDeclarations {
  private readonly spelled = new Set<number>();
  private readonly usedMembers = new Map<number, Set<string>>();

  spell(typeId: number): string {
    this.spelled.add(typeId);
    return fakeStruct(typeId).name;
  }

  useMember(typeId: number, name: string): void {
    this.spell(typeId);
    const set = this.usedMembers.get(typeId) ?? new Set<string>();
    set.add(name);
    this.usedMembers.set(typeId, set);
  }

  get used(): string[] {
    return [...this.usedMembers].flatMap(([id, names]) => [...names].map((n) => `${fakeStruct(id).name.replace(/^struct /, '')}.${n}`)).sort();
  }

  emit(): string {
    return fakeStructs
      .filter((s) => this.spelled.has(s.id))
      .map((s) => {
        const used = this.usedMembers.get(s.id) ?? new Set<string>();
        const members = s.members.filter((m) => used.has(m.name)).map((m) => `  ${m.c};\n`).join('');
        return `${s.name} {\n${members}} __attribute__((preserve_access_index));\n`;
      })
      .join('\n');
  }
}

/** The one tracepoint of the fake tracefs: syscalls:sys_enter_openat, with the fields of its format file on x86-64. */
export const openatFormat: TracepointFormat = {
  category: 'syscalls',
  event: 'sys_enter_openat',
  id: 782,
  fields: [
    { name: 'common_type', cType: 'unsigned short', offset: 0, size: 2, signed: false },
    { name: 'common_flags', cType: 'unsigned char', offset: 2, size: 1, signed: false },
    { name: 'common_preempt_count', cType: 'unsigned char', offset: 3, size: 1, signed: false },
    { name: 'common_pid', cType: 'int', offset: 4, size: 4, signed: true },
    { name: '__syscall_nr', cType: 'int', offset: 8, size: 4, signed: true },
    { name: 'dfd', cType: 'int', offset: 16, size: 8, signed: false },
    { name: 'filename', cType: 'const char *', offset: 24, size: 8, signed: false },
    { name: 'flags', cType: 'int', offset: 32, size: 8, signed: false },
    { name: 'mode', cType: 'umode_t', offset: 40, size: 8, signed: false },
  ],
};

function globMatch(glob: string, s: string): boolean {
  const re = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(s);
}

export const fakeTracefs: Tracefs = {
  root: '/fake/tracefs',
  listTracepoints(categoryGlob, eventGlob) {
    const { category, event } = openatFormat;
    return globMatch(categoryGlob, category) && globMatch(eventGlob, event) ? [{ category, event }] : [];
  },
  format(category, event) {
    if (category !== openatFormat.category || event !== openatFormat.event) throw new Error(`fake tracefs: no tracepoint ${category}:${event}`);
    return openatFormat;
  },
  listRawTracepoints: () => [],
};

/** The providers and builtins the fake environment offers, from their plugins. */
async function plugins(): Promise<Container> {
  return createContainer({ plugins: [beginEndPlugin, intervalPlugin, tracepointPlugin, builtinsPlugin] });
}

export interface CodegenEnvOptions {
  config?: Partial<RuntimeConfig>;
  positional?: string[];
}

/** Parses and type-checks `text` (one script, no imports or macros) in the fake environment. */
export async function checkInFakeEnv(text: string, opts: CodegenEnvOptions = {}): Promise<TypedProgram> {
  const container = await plugins();
  const config: RuntimeConfig = { ...defaultConfig, ...opts.config };
  const env: ProviderEnv = {
    tracefs: fakeTracefs,
    kernelTypes: fakeKernelTypes,
    config,
    fail(message, span): never {
      throw errorAt(span, message);
    },
  };
  const program = parse(text, 'test.bt');
  const instances = expandProbes(program, new ProviderRegistry(container.getAll(Services.ProbeProvider)), env);
  const builtins = new Map<string, Builtin>(container.getAll(Services.Builtin).map((b) => [b.name, b]));
  return checkProgram(program, instances, {
    builtins, env, config, positional: opts.positional ?? [], hasChildProcess: false, kernelTypes: fakeKernelTypes,
  });
}

export interface FakeUnit extends GeneratedUnit {
  typed: TypedProgram;
  /** The fake CO-RE declarations the unit used (members in `used`). */
  kernel: FakeKernelDeclarations;
}

/** Type-checks and generates `text` in the fake environment. */
export async function generateInFakeEnv(text: string, opts: CodegenEnvOptions = {}): Promise<FakeUnit> {
  const typed = await checkInFakeEnv(text, opts);
  const kernel = new FakeKernelDeclarations();
  const unit = generate(typed, {
    config: { ...defaultConfig, ...opts.config },
    positional: opts.positional ?? [],
    // The unit's declarations are this test's instance, so it can look at the members used.
    kernelTypes: { ...fakeKernelTypes, declarations: () => kernel },
  });
  return { ...unit, typed, kernel };
}

/** The C of probe function `bs_probe_<index>` (from its SEC line to its closing brace). */
export function probeFunction(c: string, index = 0): string {
  const lines = c.split('\n');
  const start = lines.findIndex((l, i) => l.startsWith('SEC(') && lines[i + 1] === `int bs_probe_${index}(void *ctx)`);
  if (start < 0) throw new Error(`no probe function bs_probe_${index}`);
  const end = lines.indexOf('}', start);
  return lines.slice(start, end + 1).join('\n');
}

/** The probe functions of a unit and what they need just before them (locals structs, map-loop callbacks), to the end. */
export function probeFunctions(c: string): string {
  const lines = c.split('\n');
  const start = lines.findIndex((l) => /^SEC\("(?!\.maps)/.test(l) || l.startsWith('struct bs_locals_'));
  return lines.slice(start).join('\n');
}
