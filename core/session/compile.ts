// The compile half of a session: script text -> C unit + Manifest. Pure apart
// from reading tracefs; runs without loading anything into the kernel.
import type { Container } from 'inversify';
import { parse } from '../syntax/index.ts';
import type { Program } from '../syntax/ast.ts';
import { CompileError, DiagnosticBag, errorAt, type Diagnostic, type Span } from '../diagnostics/index.ts';
import { expandProbes, ProviderRegistry, type ProbeInstance } from '../probes/index.ts';
import { checkProgram } from '../passes/types/index.ts';
import { generate, type GeneratedUnit } from '../codegen/index.ts';
import { Services, type Builtin, type ProviderEnv, type RuntimeConfig } from '../../sdk/index.ts';

export interface CompileInput {
  text: string;
  /** `stdin` for -e and stdin scripts, else the path. */
  file: string;
  positional?: string[];
  hasChildProcess?: boolean;
}

export interface CompiledScript extends GeneratedUnit {
  program: Program;
  instances: ProbeInstance[];
  warnings: Diagnostic[];
}

export function providerEnv(container: Container, config: RuntimeConfig, warnings?: DiagnosticBag): ProviderEnv {
  return {
    tracefs: container.get(Services.Tracefs),
    config,
    fail(message: string, span?: Span): never {
      throw errorAt(span, message);
    },
    ...(warnings ? {} : {}),
  };
}

export function compileScript(container: Container, input: CompileInput): CompiledScript {
  const config = container.get(Services.Config);
  const hooks = container.get(Services.Hooks);
  const program = parse(input.text, input.file);
  hooks.parsed.call(program);
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const env = providerEnv(container, config);
  const instances = expandProbes(program, registry, env);
  if (instances.length === 0) throw new CompileError({ severity: 'ERROR', message: 'No probes to attach' });
  hooks.expanded.call(instances.map((i) => i.expanded));
  const builtins = new Map<string, Builtin>();
  for (const b of container.getAll(Services.Builtin)) builtins.set(b.name, b);
  const positional = input.positional ?? [];
  const typed = checkProgram(program, instances, { builtins, env, config, positional, hasChildProcess: input.hasChildProcess ?? false });
  const unit = generate(typed, { config, positional });
  hooks.generated.call(unit);
  return { ...unit, program, instances, warnings: typed.warnings.items };
}
