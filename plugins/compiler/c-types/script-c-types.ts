// The script's C as the compile sees it: clang turns its preprocessor lines and
// definitions into BTF (extract.ts), whose types go in front of the kernel's
// (script-types.ts); its `#define` constants and enumerators become builtins
// (constants.ts); kernel enumerators are found by name on demand.
import type { Program } from '../../../core/syntax/ast.ts';
import type { Builtin, KernelTypes } from '../../../sdk/index.ts';
import { BtfKernelTypes, type Btf } from '../../../lib/btf/index.ts';
import { BinaryTypesLayer } from '../../../lib/dwarf/index.ts';
import { enumConstantBuiltin, kernelEnumConstant, lazyEnumConstantBuiltin, MacroConstants } from './constants.ts';
import { extractCTypes, type CSourceItem, type Extracted } from './extract.ts';
import { ScriptTypes, type EnumConstant } from './script-types.ts';

export interface ScriptCTypes {
  /** The kernel's types with the script's own in front (the script's win, as upstream). */
  kernelTypes: KernelTypes;
  /** `#define` constants and the script's enumerators; names builtins already have are left out. */
  builtins: Builtin[];
  /** A kernel enumerator by name (`PIDTYPE_TGID`), for identifiers nothing else defines. */
  kernelConstant(name: string): Builtin | undefined;
  /** The extraction (undefined when the script has no C): clang runs, cache hit. */
  extracted?: Extracted;
}

export interface ScriptCTypesOptions {
  /** The session's kernel types (BTF). */
  kernelTypes: KernelTypes;
  /** Names taken by builtins: they win over macros and enumerators of the same name. */
  builtinNames?: ReadonlySet<string>;
  /** More clang flags (`-I DIR`, `-include FILE`). */
  clangFlags?: readonly string[];
  cwd?: string;
}

/** The script's preprocessor lines and C definitions, in order. */
export function cItems(program: Program): CSourceItem[] {
  return program.items.filter((i) => i.kind === 'PreprocessorLine' || i.kind === 'CDefinition').map((i) => ({ text: (i as { text: string }).text, span: i.span }));
}

/** The kernel's BTF behind the session's types, also behind the uprobes' binary types (`uint32_t` is the kernel's typedef there too). */
function kernelBtfOf(kt: KernelTypes): Btf | undefined {
  const kernel = kt instanceof BinaryTypesLayer ? kt.kernel : kt;
  return kernel instanceof BtfKernelTypes ? kernel.btf : undefined;
}

export function scriptCTypes(program: Program, opts: ScriptCTypesOptions): ScriptCTypes {
  // vmlinux's BTF is read when first needed: a script without C or unknown identifiers never reads it.
  const kernelBtf = () => kernelBtfOf(opts.kernelTypes);
  const kernelConstants = new Map<string, Builtin | null>();
  const kernelEnumerator = (name: string): EnumConstant | undefined => {
    const btf = kernelBtf();
    return btf ? kernelEnumConstant(btf, name) : undefined;
  };
  const kernelConstant = (name: string): Builtin | undefined => {
    let b = kernelConstants.get(name);
    if (b === undefined) {
      const c = kernelEnumerator(name);
      b = c ? enumConstantBuiltin(c) : null;
      kernelConstants.set(name, b);
    }
    return b ?? undefined;
  };
  const items = cItems(program);
  // `--include FILE` brings C of its own, even to a script without any.
  if (items.length === 0 && !opts.clangFlags?.includes('-include')) return { kernelTypes: opts.kernelTypes, builtins: [], kernelConstant };

  const extracted = extractCTypes(items, { kernelBtf: kernelBtf(), extraFlags: opts.clangFlags, cwd: opts.cwd });
  const scriptTypes = new ScriptTypes(opts.kernelTypes, extracted);
  const taken = opts.builtinNames ?? new Set<string>();
  const builtins = new Map<string, Builtin>();
  // Enums are read from BTF only when one of their names is used.
  const find = (name: string) => scriptTypes.enumConstant(name);
  for (const name of extracted.scan.enumerators) if (!taken.has(name)) builtins.set(name, lazyEnumConstantBuiltin(name, find));
  const macros = new MacroConstants(extracted.scan.macros, (name) => (find(name) ?? kernelEnumerator(name))?.value, scriptTypes);
  for (const name of extracted.scan.macros.keys()) {
    // A macro that names an enumerator of its own value (glibc: `#define SHUT_RD SHUT_RD`) leaves the enumerator's type.
    if (!taken.has(name) && !builtins.has(name)) builtins.set(name, macros.builtin(name));
  }
  return { kernelTypes: scriptTypes, builtins: [...builtins.values()], kernelConstant, extracted };
}
