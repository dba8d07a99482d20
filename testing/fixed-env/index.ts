// A compile environment that needs no live kernel, for tests that call the
// type pass and codegen directly: a few providers (begin/end, interval,
// tracepoint), a tracefs with fixed format files, fixed kernel types, and the
// real builtins. `checkScript` runs the front end the way
// core/session/compile.ts does (parse, prepare, expand probes), then the type
// pass; `generateScript` goes on to generate the C unit and its Manifest.
import type * as A from '../../core/syntax/ast.ts';
import { parse } from '../../core/syntax/index.ts';
import { errorAt, type Span } from '../../core/diagnostics/index.ts';
import { prepareProgram, type PreparedProgram } from '../../core/passes/imports/index.ts';
import { substitutePositional } from '../../core/passes/positional/index.ts';
import { hoistAggregateBlocks } from '../../core/passes/aggregate-blocks/index.ts';
import { expandProbes, ProviderRegistry, type ProbeInstance } from '../../core/probes/index.ts';
import { checkProgram, type TypedProgram } from '../../core/passes/types/index.ts';
import { generate, type GeneratedUnit } from '../../core/codegen/index.ts';
import { Container } from 'inversify';
import { defaultConfig, Services, type Builtin, type KernelTypes, type ProbeProvider, type ProviderEnv, type RuntimeConfig } from '../../sdk/index.ts';
import { beginEndPlugin, intervalPlugin, testBenchPlugin, tracepointPlugin } from '../../providers/index.ts';
import { builtinsPlugin } from '../../plugins/builtins/index.ts';
import { FixedTracefs } from './tracefs.ts';
import { fixedKernelTypes, FixedKernelDeclarations } from './kernel-types.ts';

export { FixedTracefs } from './tracefs.ts';
export { fixedKernelTypes, FixedKernelDeclarations, TASK_STRUCT_ID, SCHED_ENTITY_ID } from './kernel-types.ts';

/** The providers and builtins a test program may use, from their plugins. */
function pluginContainer(): Container {
  const container = new Container();
  for (const plugin of [beginEndPlugin, intervalPlugin, tracepointPlugin, testBenchPlugin, builtinsPlugin]) container.load(plugin.module);
  return container;
}

export function fixedProviders(): ProbeProvider[] {
  return pluginContainer().getAll(Services.ProbeProvider);
}

export interface CompileEnv {
  env: ProviderEnv;
  kernelTypes: KernelTypes;
  builtins: Map<string, Builtin>;
  registry: ProviderRegistry;
}

export function compileEnv(config: RuntimeConfig = defaultConfig, kernelTypes: KernelTypes = fixedKernelTypes): CompileEnv {
  const container = pluginContainer();
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const env: ProviderEnv = {
    provider: (word) => registry.find(word),
    tracefs: new FixedTracefs(),
    kernelTypes,
    config,
    fail(message: string, span?: Span): never {
      throw errorAt(span, message);
    },
    warn(): void {
      // Compile-only tests look at errors; provider warnings are not theirs.
    },
  };
  const builtins = new Map(container.getAll(Services.Builtin).map((b) => [b.name, b]));
  return { env, kernelTypes, builtins, registry };
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
  config?: Partial<RuntimeConfig>;
  /** Receives the script's and the standard library's texts, for diagnostics (even when checking fails). */
  sources?: Map<string, string>;
  kernelTypes?: KernelTypes;
}

/** Script text (file `stdin`) through the front end, probe expansion and the type pass. */
export function checkScript(text: string, opts: CheckScriptOptions = {}): CheckedScript {
  const sources = opts.sources ?? new Map<string, string>();
  sources.set('stdin', text);
  const prepared = prepareProgram(parse(text, 'stdin'), {
    file: 'stdin', config: { ...defaultConfig, ...opts.config }, env: {}, hasChildProcess: opts.hasChildProcess, sources,
  });
  const compile = compileEnv(prepared.config, opts.kernelTypes);
  const positional = opts.positional ?? [];
  const aggregates = new Set([...compile.builtins.values()].filter((b) => b.aggregate).map((b) => b.name));
  const program = hoistAggregateBlocks(substitutePositional(prepared.program, positional).program, (name) => aggregates.has(name));
  const instances = expandProbes(program, compile.registry, compile.env);
  const typed = checkProgram(program, instances, {
    builtins: compile.builtins, env: compile.env, config: prepared.config, positional,
    hasChildProcess: opts.hasChildProcess ?? false, kernelTypes: compile.kernelTypes,
  });
  return { ...compile, prepared, program, instances, typed, positional, sources };
}

export interface GeneratedScript extends GeneratedUnit {
  typed: TypedProgram;
  /** The CO-RE declarations the unit used (members in `used`). */
  kernel: FixedKernelDeclarations;
}

/** Script text through the type pass and code generation. */
export function generateScript(text: string, opts: CheckScriptOptions = {}): GeneratedScript {
  const kernel = new FixedKernelDeclarations();
  // The unit's declarations are this instance, so a test can look at the members used.
  const kernelTypes: KernelTypes = { ...(opts.kernelTypes ?? fixedKernelTypes), declarations: () => kernel };
  const { typed, prepared, positional } = checkScript(text, { ...opts, kernelTypes });
  const unit = generate(typed, { config: prepared.config, positional, kernelTypes });
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
