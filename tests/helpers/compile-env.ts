// A compile environment that needs no live kernel: a few providers (begin/end,
// interval, tracepoint), a tracefs with two fixed format files, kernel types
// with one tiny `struct task_struct`, and the real builtins. `checkScript`
// runs the front end the way core/session/compile.ts does (parse, prepare,
// expand probes) and then the type pass; codegen tests can start from its
// result.
import type * as A from '../../core/syntax/ast.ts';
import { parse } from '../../core/syntax/index.ts';
import { errorAt, type Span } from '../../core/diagnostics/index.ts';
import type { ValueType } from '../../core/manifest/index.ts';
import { prepareProgram, type PreparedProgram } from '../../core/passes/imports/index.ts';
import { expandProbes, ProviderRegistry, type ProbeInstance } from '../../core/probes/index.ts';
import { checkProgram, type TypedProgram } from '../../core/passes/types/index.ts';
import { Container } from 'inversify';
import { defaultConfig, Services, type Builtin, type KernelMember, type KernelTypes, type ProbeProvider, type ProviderEnv, type RuntimeConfig, type Tracefs, type TracepointFormat } from '../../sdk/index.ts';
import { globMatcher, parseFormat } from '../../lib/host/index.ts';
import { beginEndPlugin, intervalPlugin, tracepointPlugin } from '../../providers/index.ts';
import { coreBuiltins } from '../../plugins/builtins/index.ts';

/** Format files as this kernel's tracefs has them (6.x). */
const formatFiles: Record<string, string> = {
  'syscalls:sys_enter_openat': `name: sys_enter_openat
ID: 782
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;
\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;
\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;
\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;
\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;
`,
  'sched:sched_switch': `name: sched_switch
ID: 372
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;
\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;
\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;
\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;
\tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;
\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;
\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;
`,
};

/** A tracefs holding only `formatFiles`. */
export class FixedTracefs implements Tracefs {
  readonly root = '/fixed/tracing';
  listTracepoints(categoryGlob: string, eventGlob: string): { category: string; event: string }[] {
    const cat = globMatcher(categoryGlob);
    const ev = globMatcher(eventGlob);
    return Object.keys(formatFiles).sort()
      .map((key) => { const [category, event] = key.split(':'); return { category, event }; })
      .filter((t) => cat.test(t.category) && ev.test(t.event));
  }
  format(category: string, event: string): TracepointFormat {
    const text = formatFiles[`${category}:${event}`];
    if (text === undefined) throw new Error(`no format file for ${category}:${event}`);
    return parseFormat(category, event, text);
  }
  listRawTracepoints(): string[] {
    return [];
  }
}

const TASK_STRUCT_ID = 1;
const taskStruct: ValueType = { kind: 'struct', name: 'struct task_struct', fields: [], size: 32, btfId: TASK_STRUCT_ID };
const taskPointer: ValueType = { kind: 'pointer', pointee: 'struct task_struct', btfId: TASK_STRUCT_ID };
/** `struct task_struct { int pid; char comm[16]; struct task_struct *parent; }`, laid out as C does. */
const taskMembers: KernelMember[] = [
  { name: 'pid', type: { kind: 'int', size: 4, signed: true }, offset: 0 },
  { name: 'comm', type: { kind: 'string', size: 16 }, offset: 4 },
  { name: 'parent', type: taskPointer, offset: 24 },
];

/** Kernel types with one struct, as BtfKernelTypes would present it (lazy fields, pointers carrying the BTF id). */
export class FixedKernelTypes implements KernelTypes {
  readonly available = true;
  declarations(): never {
    throw new Error('the type-pass environment generates no C: use tests/helpers/codegen-env.ts');
  }
  byName(name: string): ValueType | undefined {
    return name === 'struct task_struct' ? taskStruct : undefined;
  }
  fromId(id: number): ValueType {
    return id === TASK_STRUCT_ID ? taskStruct : { kind: 'none' };
  }
  pointerTo(t: ValueType): ValueType {
    if (t.kind === 'struct') return { kind: 'pointer', pointee: t.name, ...(t.btfId !== undefined ? { btfId: t.btfId } : {}) };
    return { kind: 'pointer', pointee: 'void' };
  }
  member(t: ValueType, name: string): KernelMember | undefined {
    return this.members(t).find((m) => m.name === name);
  }
  complete(t: ValueType): ValueType {
    if (t.kind !== 'struct' || t.btfId !== TASK_STRUCT_ID || t.fields.length > 0) return t;
    return { ...t, fields: taskMembers.map((m) => ({ name: m.name, type: m.type, offset: m.offset })) };
  }
  members(t: ValueType): KernelMember[] {
    const id = t.kind === 'struct' || t.kind === 'pointer' ? t.btfId : undefined;
    return id === TASK_STRUCT_ID ? taskMembers : [];
  }
  rawTracepointArgs(): undefined {
    return undefined;
  }
  functionSignature(): undefined {
    return undefined;
  }
  enumValues(): undefined {
    return undefined;
  }
}

/** The providers a test program may use: begin, end, interval, tracepoint. */
export function fixedProviders(): ProbeProvider[] {
  const container = new Container();
  for (const plugin of [beginEndPlugin, intervalPlugin, tracepointPlugin]) container.load(plugin.module);
  return container.getAll(Services.ProbeProvider);
}

export interface CompileEnv {
  env: ProviderEnv;
  kernelTypes: KernelTypes;
  builtins: Map<string, Builtin>;
  registry: ProviderRegistry;
}

export function compileEnv(config: RuntimeConfig = defaultConfig): CompileEnv {
  const kernelTypes = new FixedKernelTypes();
  const env: ProviderEnv = {
    tracefs: new FixedTracefs(),
    kernelTypes,
    config,
    fail(message: string, span?: Span): never {
      throw errorAt(span, message);
    },
  };
  return { env, kernelTypes, builtins: new Map(coreBuiltins.map((b) => [b.name, b])), registry: new ProviderRegistry(fixedProviders()) };
}

export interface CheckedScript extends CompileEnv {
  prepared: PreparedProgram;
  program: A.Program;
  instances: ProbeInstance[];
  typed: TypedProgram;
  positional: string[];
  /** The script's text by file name, for rendering diagnostics. */
  sources: Map<string, string>;
}

export interface CheckScriptOptions {
  positional?: string[];
  hasChildProcess?: boolean;
  config?: RuntimeConfig;
  /** Receives the script's and the standard library's texts, for diagnostics (even when checking fails). */
  sources?: Map<string, string>;
}

/** Script text (file `stdin`) through the front end, probe expansion and the type pass. */
export function checkScript(text: string, opts: CheckScriptOptions = {}): CheckedScript {
  const sources = opts.sources ?? new Map<string, string>();
  sources.set('stdin', text);
  const prepared = prepareProgram(parse(text, 'stdin'), {
    file: 'stdin', config: opts.config ?? defaultConfig, env: {}, hasChildProcess: opts.hasChildProcess, sources,
  });
  const compile = compileEnv(prepared.config);
  const instances = expandProbes(prepared.program, compile.registry, compile.env);
  const positional = opts.positional ?? [];
  const typed = checkProgram(prepared.program, instances, {
    builtins: compile.builtins, env: compile.env, config: prepared.config, positional,
    hasChildProcess: opts.hasChildProcess ?? false, kernelTypes: compile.kernelTypes,
  });
  return { ...compile, prepared, program: prepared.program, instances, typed, positional, sources };
}
