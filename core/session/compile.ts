// The compile half of a session: script text -> C unit + Manifest. Pure apart
// from reading tracefs; runs without loading anything into the kernel.
import type { Container } from 'inversify';
import { parse } from '../syntax/index.ts';
import type { Program } from '../syntax/ast.ts';
import { CompileError, DiagnosticBag, errorAt, type Diagnostic, type Span } from '../diagnostics/index.ts';
import { expandProbes, ProviderRegistry, type ProbeInstance } from '../probes/index.ts';
import { checkProgram, type TypedProgram } from '../passes/types/index.ts';
import { generate, type GeneratedUnit } from '../codegen/index.ts';
import { prepareProgram, type PreparedProgram } from '../passes/imports/index.ts';
import { Services, type Builtin, type ProviderEnv, type RuntimeConfig } from '../../sdk/index.ts';
import { prepareCInterop, type BuiltUnit } from '../../plugins/compiler/c-interop/index.ts';
import { scriptCTypes } from '../../plugins/compiler/c-types/index.ts';
import type { LinkInput } from '../build/index.ts';

export interface CompileInput {
  text: string;
  /** `stdin` for -e and stdin scripts, else the path. */
  file: string;
  positional?: string[];
  hasChildProcess?: boolean;
  /** Receives the texts of imported and standard-library files, for diagnostics (even when compiling fails). */
  sources?: Map<string, string>;
  /** `-I DIR` / `-include FILE` from the command line: the script's C definitions see them too. */
  clangFlags?: string[];
}

export interface CompiledScript extends GeneratedUnit {
  program: Program;
  instances: ProbeInstance[];
  warnings: Diagnostic[];
  /** What the front end found: C units and plugins the imports bring, the merged config, file texts. */
  prepared: PreparedProgram;
  /** The type pass's result (`-d types`). */
  typed: TypedProgram;
  /** Objects of imported C units, linked with the generated program before load. */
  linkObjects: LinkInput[];
  /** The imported `.bpf.c`/`.bpf.o` units as built (whether clang ran for each). */
  cUnits: BuiltUnit[];
}

/** Settings before any script's config block, per container (a second compile must not inherit the first's). */
const baseConfigs = new WeakMap<Container, RuntimeConfig>();

export function providerEnv(container: Container, config: RuntimeConfig, warnings?: DiagnosticBag): ProviderEnv {
  return {
    tracefs: container.get(Services.Tracefs),
    kernelTypes: container.get(Services.KernelTypes),
    config,
    fail(message: string, span?: Span): never {
      throw errorAt(span, message);
    },
    ...(warnings ? {} : {}),
  };
}

export async function compileScript(container: Container, input: CompileInput): Promise<CompiledScript> {
  const hooks = container.get(Services.Hooks);
  const base = baseConfigs.get(container) ?? container.get(Services.Config);
  baseConfigs.set(container, base);
  const prepared = prepareProgram(parse(input.text, input.file), {
    file: input.file, config: base, env: process.env, hasChildProcess: input.hasChildProcess, sources: input.sources,
  });
  // From here on the session runs with the script's config block and BPFTRACE_* variables applied.
  container.rebind(Services.Config).toConstantValue(prepared.config);
  const { config, program } = prepared;
  // Package plugins loaded, C units built: their functions are builtins (`__name(args)`) from here on.
  const interop = await prepareCInterop(container, prepared);
  hooks.parsed.call(program);
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const env = providerEnv(container, config);
  const instances = expandProbes(program, registry, env);
  if (instances.length === 0) throw new CompileError({ severity: 'ERROR', message: 'No probes to attach' });
  hooks.expanded.call(instances.map((i) => i.expanded));
  const builtins = new Map<string, Builtin>();
  for (const b of container.getAll(Services.Builtin)) builtins.set(b.name, b);
  const positional = input.positional ?? [];
  // The script's C (preprocessor lines, struct/union/enum/typedef definitions): its types in front of the kernel's, its constants as builtins.
  const cTypes = scriptCTypes(program, { kernelTypes: env.kernelTypes, builtinNames: new Set(builtins.keys()), clangFlags: input.clangFlags });
  for (const b of cTypes.builtins) builtins.set(b.name, b);
  const typed = checkProgram(program, instances, {
    builtins, env, config, positional, hasChildProcess: input.hasChildProcess ?? false, kernelTypes: cTypes.kernelTypes, fallbackIdentifier: cTypes.kernelConstant,
  });
  const unit = generate(typed, { config, positional, kernelTypes: cTypes.kernelTypes });
  hooks.generated.call(unit);
  return {
    ...unit, program, instances, warnings: [...prepared.warnings, ...typed.warnings.items], prepared, typed,
    linkObjects: interop.objects, cUnits: interop.units,
  };
}

