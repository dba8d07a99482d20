// The c-types plugin: on the `scope` hook it runs the script's C (preprocessor
// lines and definitions, `--include` files), puts the script's types in front
// of the kernel's, adds its `#define` constants and enumerators as builtins
// and resolves kernel enumerators by name for identifiers nothing else
// defines.
//
// It taps at stage 0, after c-interop (stage -10): names builtins already have,
// imported C functions included, win over the script's constants.
import { definePlugin, Services, type CompileScope, type HookTap, type Hooks } from '../../../sdk/index.ts';
import { scriptCTypes } from './script-c-types.ts';

/** Where c-types taps `scope` (tapable stage): after c-interop. */
export const C_TYPES_STAGE = 0;

function extendScope(scope: CompileScope): void {
  const c = scriptCTypes(scope.program, { kernelTypes: scope.kernelTypes, builtinNames: new Set(scope.builtins.keys()), clangFlags: scope.clangFlags });
  scope.kernelTypes = c.kernelTypes;
  for (const b of c.builtins) scope.builtins.set(b.name, b);
  const before = scope.fallbackIdentifier;
  scope.fallbackIdentifier = before ? (name) => before(name) ?? c.kernelConstant(name) : c.kernelConstant;
}

const cTypesTap: HookTap = {
  name: 'c-types',
  apply(hooks: Hooks) {
    hooks.scope.tap({ name: 'c-types', stage: C_TYPES_STAGE }, extendScope);
  },
};

export const cTypesPlugin = definePlugin('c-types', ({ bind }) => {
  bind(Services.HookTap).toConstantValue(cTypesTap);
});
