// The c-interop plugin: on the `scope` hook it builds the script's imported C
// units, makes every function they export a builtin `__name(args)` and hands
// their objects to the link.
//
// It taps at stage -10, before c-types (stage 0): the C functions are builtins
// by the time the script's own C is read, so a macro of the same name is left
// out (as for any builtin).
//
// The functions are also bound in the container (Services.Builtin) until the
// next compile, so a host that lists a session's builtins sees what the last
// script could call; the container outlives a compile, so each compile first
// unbinds those of the one before.
import type { BindingIdentifier, ContainerModuleLoadOptions } from 'inversify';
import { errorAt } from '../../../core/diagnostics/index.ts';
import { definePlugin, Services, type Builtin, type CompileScope, type HookTap, type Hooks } from '../../../sdk/index.ts';
import { cFunctionBuiltin } from './builtin.ts';
import { buildUnits, type CFunction } from './units.ts';

/** Where c-interop taps `scope` (tapable stage): before c-types. */
export const C_INTEROP_STAGE = -10;

function checkNames(functions: CFunction[], builtinNames: Set<string>): void {
  const seen = new Map<string, CFunction>();
  for (const f of functions) {
    const other = seen.get(f.name);
    if (other) throw errorAt(f.unit.span, `C function ${f.name} is defined by both ${other.unit.name} and ${f.unit.name}`);
    if (builtinNames.has(f.name)) throw errorAt(f.unit.span, `C function ${f.name} of ${f.unit.name} has the name of a builtin; rename it (imported C functions are usually named __name)`);
    seen.set(f.name, f);
  }
}

/** One container's C functions: those the last compile bound, unbound by the next. */
class CInteropTap implements HookTap {
  readonly name = 'c-interop';
  private bound: { builtin: Builtin; binding: BindingIdentifier }[] = [];

  constructor(private readonly container: Pick<ContainerModuleLoadOptions, 'bind' | 'unbind'>) {}

  apply(hooks: Hooks): void {
    hooks.scope.tap({ name: this.name, stage: C_INTEROP_STAGE }, (scope) => this.extend(scope));
  }

  private extend(scope: CompileScope): void {
    this.unbindPrevious(scope);
    const { built, functions } = buildUnits(scope.prepared.units);
    checkNames(functions, new Set(scope.builtins.keys()));
    for (const f of functions) {
      const builtin = cFunctionBuiltin(f);
      scope.builtins.set(f.name, builtin);
      this.bound.push({ builtin, binding: this.container.bind(Services.Builtin).toConstantValue(builtin).getIdentifier() });
    }
    scope.linkObjects.push(...built.map((b) => ({ path: b.objectPath, name: b.unit.name })));
    scope.builtUnits.push(...built);
  }

  /** The previous compile's functions leave the container, and the scope the core read from it. */
  private unbindPrevious(scope: CompileScope): void {
    for (const { builtin, binding } of this.bound) {
      this.container.unbind(binding);
      if (scope.builtins.get(builtin.name) === builtin) scope.builtins.delete(builtin.name);
    }
    this.bound = [];
  }
}

export const cInteropPlugin = definePlugin('c-interop', ({ bind, unbind }) => {
  bind(Services.HookTap).toConstantValue(new CInteropTap({ bind, unbind }));
});
