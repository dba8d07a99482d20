// The uprobe plugin's tap on the `scope` hook: the DWARF types of the binaries
// the script's uprobes name go in front of the kernel's, so casts
// (`(struct Foo *)arg0`), typed declarations and the members of `args`
// resolve in the binary. It taps before c-types, so a script's own C
// definitions still win (upstream's `struct Foo { int b; }` override). A
// binary's DWARF is opened only when a type is first looked up.
import type { CompileScope, HookTap, Hooks } from '../../sdk/index.ts';
import { binaryDebugInfo, BinaryTypesLayer, DwarfError, type BinaryTypes } from '../../lib/dwarf/index.ts';

/** Where the uprobe types tap runs (tapable stage): after c-interop (-10), before c-types (0). */
export const UPROBE_TYPES_STAGE = -5;

function extendScope(scope: CompileScope): void {
  const binaries = new Set(scope.probes.filter((p) => p.provider === 'uprobe' || p.provider === 'uretprobe').map((p) => String(p.target.binary)));
  if (binaries.size === 0) return;
  const dirs = scope.prepared.config.debuginfoDirs ?? [];
  const open = (binary: string) => (): BinaryTypes | undefined => {
    try {
      return binaryDebugInfo(binary, dirs)?.types;
    } catch (e) {
      // A binary whose DWARF cannot be read only lacks its types here; `args` says why where it is used.
      if (e instanceof DwarfError) return undefined;
      throw e;
    }
  };
  scope.kernelTypes = new BinaryTypesLayer(scope.kernelTypes, [...binaries].map(open));
}

export const uprobeTypesTap: HookTap = {
  name: 'uprobe-types',
  apply(hooks: Hooks) {
    hooks.scope.tap({ name: 'uprobe-types', stage: UPROBE_TYPES_STAGE }, extendScope);
  },
};
