// The script's C units built: `.bpf.c` sources compiled (cached by content),
// `.bpf.o` objects used as they are but for hidden functions, `.h` headers'
// folders put on the sources' include path; then every function the objects
// export, read from their ELF symbols and BTF.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BuildError, cacheSubdir, compileUnit, trustedEntry, writeEntry, type BuiltUnit } from '../../../core/build/index.ts';
import { CompileError, errorAt } from '../../../core/diagnostics/index.ts';
import type { LinkUnit } from '../../../core/passes/imports/index.ts';
import { Btf, BtfError } from '../../../lib/btf/index.ts';
import { BpfElf, ElfError, isExportedFunction } from './elf.ts';
import { describeFunction, type CFunctionShape } from './signature.ts';

export type { BuiltUnit };

/** A function of an imported unit, callable from the script by its name. */
export interface CFunction extends CFunctionShape {
  name: string;
  unit: LinkUnit;
}

/**
 * The functions of imported objects are made hidden. The static linker still
 * resolves hidden symbols across objects, and libbpf loads a hidden function
 * as a static subprogram, which the verifier checks in its caller's context; a
 * global one is verified alone, each pointer argument limited to the size of
 * its pointee type (one byte for a `char *`). Only functions: libbpf refuses
 * hidden maps.
 */
const hideFunctions = { id: 'hidden-functions-1', apply: (object: Buffer) => new BpfElf(object, 'unit').withHiddenFunctions() };

function compile(unit: LinkUnit, includeDirs: string[]): BuiltUnit {
  try {
    return { unit, ...compileUnit(unit.path, { includeDirs, transform: hideFunctions }) };
  } catch (e) {
    // A BuildError without output is no clang message (BPFSCRIPT_CLANG unusable): it stands alone.
    if (!(e instanceof BuildError) || !e.output) throw e;
    throw new CompileError([
      { severity: 'ERROR', message: `failed to compile ${unit.name}`, span: unit.span },
      { severity: 'ERROR', message: `clang says:\n${e.output.trimEnd()}` },
    ]);
  }
}

/** The functions an object defines for others (`isExportedFunction`), typed from its BTF. */
export function exportedFunctions(objectPath: string, unit: LinkUnit): CFunction[] {
  try {
    const elf = new BpfElf(readFileSync(objectPath), unit.name);
    const exported = new Set(elf.symbols().filter(isExportedFunction).map((s) => s.name));
    if (exported.size === 0) return [];
    const section = elf.section('.BTF');
    if (!section) throw errorAt(unit.span, `${unit.name} has no BTF, so its functions' types are unknown: compile it with clang -g`);
    const btf = Btf.fromBuffer(Buffer.from(elf.data(section)), { name: unit.name });
    const out: CFunction[] = [];
    for (const id of btf.ownIds()) {
      if (btf.kindOf(id) !== 'func' || !exported.has(btf.nameOf(id))) continue;
      const sig = btf.signature(id);
      out.push({ name: sig.name, unit, ...describeFunction(btf, sig, sig.name) });
    }
    return out;
  } catch (e) {
    if (e instanceof ElfError) throw errorAt(unit.span, e.message);
    if (e instanceof BtfError) throw errorAt(unit.span, `cannot read the BTF of ${unit.name}: ${e.message}`);
    throw e;
  }
}

/** An imported `.bpf.o` with its functions hidden: a copy in the cache, named by the original's content. */
function hiddenObject(unit: LinkUnit): BuiltUnit {
  const built = { unit, objectPath: unit.path, cached: true, clangMs: 0 };
  let bytes: Buffer;
  let hidden: Buffer;
  try {
    bytes = readFileSync(unit.path);
    hidden = new BpfElf(bytes, unit.name).withHiddenFunctions();
  } catch (e) {
    throw errorAt(unit.span, e instanceof ElfError ? e.message : `cannot read ${unit.name}: ${(e as Error).message}`);
  }
  if (hidden === bytes) return built;
  const objectPath = join(cacheSubdir('units'), `${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.imported.bpf.o`);
  if (!trustedEntry(objectPath)) writeEntry(objectPath, hidden);
  return { ...built, objectPath };
}

/** Builds every unit and lists their functions, in import order. */
export function buildUnits(units: readonly LinkUnit[]): { built: BuiltUnit[]; functions: CFunction[] } {
  const includeDirs = [...new Set(units.filter((u) => u.kind === 'header').map((u) => dirname(u.path)))];
  const built: BuiltUnit[] = [];
  for (const unit of units) {
    if (unit.kind === 'source') built.push(compile(unit, includeDirs));
    else if (unit.kind === 'object') built.push(hiddenObject(unit));
  }
  return { built, functions: built.flatMap((b) => exportedFunctions(b.objectPath, b.unit)) };
}
