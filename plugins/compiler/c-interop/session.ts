// What compileScript does for imports beyond .bt files: loads the packages'
// plugins, builds the C units, and binds one builtin per C function they
// export. The container outlives a compile, so the previous compile's C
// functions are unbound first.
import { ContainerModule, type Container } from 'inversify';
import { errorAt } from '../../../core/diagnostics/index.ts';
import type { PreparedProgram } from '../../../core/passes/imports/index.ts';
import type { LinkInput } from '../../../core/build/index.ts';
import { Services } from '../../../sdk/index.ts';
import { cFunctionBuiltin } from './builtin.ts';
import { loadPackagePlugins } from './packages.ts';
import { buildUnits, type BuiltUnit, type CFunction } from './units.ts';

export interface CInterop {
  /** The units' objects, to link with the generated program. */
  objects: LinkInput[];
  units: BuiltUnit[];
  functions: CFunction[];
}

const boundFunctions = new WeakMap<Container, ContainerModule>();

function checkNames(functions: CFunction[], builtinNames: Set<string>): void {
  const seen = new Map<string, CFunction>();
  for (const f of functions) {
    const other = seen.get(f.name);
    if (other) throw errorAt(f.unit.span, `C function ${f.name} is defined by both ${other.unit.name} and ${f.unit.name}`);
    if (builtinNames.has(f.name)) throw errorAt(f.unit.span, `C function ${f.name} of ${f.unit.name} has the name of a builtin; rename it (imported C functions are usually named __name)`);
    seen.set(f.name, f);
  }
}

export async function prepareCInterop(container: Container, prepared: Pick<PreparedProgram, 'units' | 'plugins'>): Promise<CInterop> {
  await loadPackagePlugins(container, prepared.plugins);
  const previous = boundFunctions.get(container);
  if (previous) {
    container.unload(previous);
    boundFunctions.delete(container);
  }
  const { built, functions } = buildUnits(prepared.units);
  if (functions.length) {
    checkNames(functions, new Set(container.getAll(Services.Builtin).map((b) => b.name)));
    const module = new ContainerModule(({ bind }) => {
      for (const f of functions) bind(Services.Builtin).toConstantValue(cFunctionBuiltin(f));
    });
    container.load(module);
    boundFunctions.set(container, module);
  }
  return { objects: built.map((b) => ({ path: b.objectPath, name: b.unit.name })), units: built, functions };
}
