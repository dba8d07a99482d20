// The compile half of a session: script text -> C unit + Manifest. Pure apart
// from reading tracefs (and running clang for C a plugin builds); runs without
// loading anything into the kernel. Plugins contribute through the session's
// hooks: `rewrite` changes the program, `scope` extends what the type pass and
// code generation see (builtins, types, objects to link).
import type { Container } from 'inversify';
import { cachedParse } from './parse-cache.ts';
import type { Program } from '../syntax/ast.ts';
import { CompileError, DiagnosticBag, errorAt, type Diagnostic, type Span } from '../diagnostics/index.ts';
import { expandProbes, noProbesError, ProviderRegistry, type ProbeInstance } from '../probes/index.ts';
import { checkProgram, type TypedProgram } from '../passes/types/index.ts';
import { generate, type GeneratedUnit } from '../codegen/index.ts';
import { prepareProgram, type PreparedProgram } from '../passes/imports/index.ts';
import { substitutePositional } from '../passes/positional/index.ts';
import { hoistAggregateBlocks } from '../passes/aggregate-blocks/index.ts';
import { Services, type CompileScope, type ProviderEnv, type RuntimeConfig } from '../../sdk/index.ts';
import type { BuiltUnit, LinkInput } from '../build/index.ts';
import { loadPackagePlugins } from './packages.ts';
import { macroOverrideWarnings } from './overrides.ts';

export interface CompileInput {
  text: string;
  /** `stdin` for -e and stdin scripts, else the path. */
  file: string;
  positional?: string[];
  hasChildProcess?: boolean;
  /** Receives the texts of imported and standard-library files, for diagnostics (even when compiling fails). */
  sources?: Map<string, string>;
  /** `-I DIR` / `-include FILE` from the command line: for the script's C definitions only (read with the host's definitions; the generated unit declares what it uses). */
  clangFlags?: string[];
  /** Packages found by name before Node's resolution (name -> folder): a package's tests import it by its name. */
  packages?: ReadonlyMap<string, string>;
  /** Where relative imports of `-e` scripts start (default: the process's working folder). */
  cwd?: string;
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

/** What providers expand with; their warnings go to `warnings` (dropped without one). */
export function providerEnv(container: Container, config: RuntimeConfig, warnings?: DiagnosticBag): ProviderEnv {
  let registry: ProviderRegistry | undefined;
  return {
    provider(word: string) {
      registry ??= new ProviderRegistry(container.getAll(Services.ProbeProvider));
      return registry.find(word);
    },
    tracefs: container.get(Services.Tracefs),
    kernelTypes: container.get(Services.KernelTypes),
    config,
    fail(message: string, span?: Span): never {
      throw errorAt(span, message);
    },
    warn(message: string, span?: Span): void {
      warnings?.warning(span, message);
    },
  };
}

export async function compileScript(container: Container, input: CompileInput): Promise<CompiledScript> {
  const hooks = container.get(Services.Hooks);
  const base = baseConfigs.get(container) ?? container.get(Services.Config);
  baseConfigs.set(container, base);
  const prepared = prepareProgram(cachedParse(input.text, input.file), {
    file: input.file, config: base, env: process.env, hasChildProcess: input.hasChildProcess, sources: input.sources, packages: input.packages, cwd: input.cwd,
  });
  // From here on the session runs with the script's config block and BPFTRACE_* variables applied.
  container.rebind(Services.Config).toConstantValue(prepared.config);
  const { config } = prepared;
  // `import "pkg"` brings the package's plugin (builtins, providers, taps) into this compile.
  const pluginWarnings = await loadPackagePlugins(container, prepared.plugins);
  const positional = input.positional ?? [];
  const substituted = substitutePositional(prepared.program, positional);
  const aggregates = new Set(container.getAll(Services.Builtin).filter((b) => b.aggregate).map((b) => b.name));
  const program = hooks.rewrite.call(hoistAggregateBlocks(substituted.program, (name) => aggregates.has(name)));
  hooks.parsed.call(program);
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const expansion = new DiagnosticBag();
  const env = providerEnv(container, config, expansion);
  const instances = expandProbes(program, registry, env, expansion);
  if (instances.length === 0) throw noProbesError(program, expansion.items, config);
  hooks.expanded.call(instances.map((i) => i.expanded));
  const scope: CompileScope = {
    program,
    prepared,
    probes: instances.map((i) => i.expanded),
    clangFlags: input.clangFlags ?? [],
    kernelTypes: env.kernelTypes,
    builtins: new Map(container.getAll(Services.Builtin).map((b) => [b.name, b])),
    linkObjects: [],
    builtUnits: [],
  };
  await hooks.scope.promise(scope);
  pluginWarnings.push(...macroOverrideWarnings(prepared, scope.builtins));
  const { builtins, kernelTypes, fallbackIdentifier } = scope;
  const runtime = container.isBound(Services.Runtime) ? container.get(Services.Runtime) : undefined;
  const typed = checkProgram(program, instances, {
    builtins, env, config, positional, hasChildProcess: input.hasChildProcess ?? false, kernelTypes, fallbackIdentifier,
    kfuncAllowed: runtime && ((name, section) => runtime.kfuncAllowed(name, section)),
  });
  const unit = generate(typed, { config, positional, kernelTypes, roleOf: (provider) => registry.find(provider)?.role ?? 'attach' });
  hooks.generated.call(unit);
  return {
    ...unit, program, instances, warnings: [...prepared.warnings, ...substituted.warnings, ...pluginWarnings, ...expansion.items, ...typed.warnings.items], prepared, typed,
    linkObjects: scope.linkObjects, cUnits: scope.builtUnits,
  };
}
