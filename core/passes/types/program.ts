// The type pass's driver: infers and checks the type of every expression of
// every probe instance, each scratch variable, and each map's key and value
// (global across probes). Builtins are typed through their plugin's `check`;
// provider context identifiers (`args`, `arg0`) through the provider.
import type * as A from '../../syntax/ast.ts';
import { DiagnosticBag, errorAt } from '../../diagnostics/index.ts';
import type { ProbeInstance } from '../../probes/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { InstanceChecker } from './instance.ts';
import { declareMap } from './maps.ts';
import type { CheckOptions, InstanceTypes, MapTypeInfo, TypedProgram } from './typed-program.ts';

export function checkProgram(program: A.Program, instances: ProbeInstance[], opts: CheckOptions): TypedProgram {
  const maps = new Map<string, MapTypeInfo>();
  for (const item of program.items) {
    if (item.kind === 'MapDecl') declareMap(item, maps);
  }
  const warnings = new DiagnosticBag();
  // Map types flow between probes, so run until they stop changing; only the
  // last round reports reads of maps that are never assigned.
  let results: InstanceTypes[] = [];
  for (let round = 0; round < 4; round++) {
    const before = snapshot(maps);
    const last = round === 3;
    results = instances.map((inst) => checkInstance(inst, maps, opts, false, warnings));
    if (snapshot(maps) === before || last) break;
  }
  // Final strict round: every map read must now be typed.
  warnings.items.length = 0;
  results = instances.map((inst) => checkInstance(inst, maps, opts, true, warnings));
  dropUnusedMaps(program, maps, warnings);
  return { instances: results, maps, warnings };
}

/** A declared map nothing names: as upstream, a warning, and no map. */
function dropUnusedMaps(program: A.Program, maps: Map<string, MapTypeInfo>, warnings: DiagnosticBag): void {
  const named = new Set<string>();
  collectMapNames(program.items.filter((i) => i.kind !== 'MapDecl'), named);
  for (const m of maps.values()) {
    if (m.declared && !m.value && !named.has(m.name)) {
      warnings.warning(m.span, `Unused map: ${m.name}`);
      maps.delete(m.name);
    }
  }
}

/** Checks after which variable types must have settled; each check can only widen them. */
const MAX_VARIABLE_ROUNDS = 8;

/**
 * Checks one instance until every read of a variable sees the type the
 * variable ends with (a later assignment may widen it: a longer string).
 */
function checkInstance(inst: ProbeInstance, maps: Map<string, MapTypeInfo>, opts: CheckOptions, strict: boolean, warnings: DiagnosticBag): InstanceTypes {
  let startTypes: ReadonlyMap<string, ValueType> | undefined;
  for (let round = 1; ; round++) {
    const roundWarnings = new DiagnosticBag();
    const checker = new InstanceChecker(inst, maps, opts, strict, roundWarnings, startTypes);
    const result = checker.run();
    const widened = checker.vars.widenedAfterRead;
    if (!widened) {
      // Through warning(): an instance of the same probe (another attach point) warns the same once.
      for (const w of roundWarnings.items) warnings.warning(w.span, w.message);
      return result;
    }
    if (round === MAX_VARIABLE_ROUNDS) throw errorAt(widened.span, `Type of ${widened.name} did not settle after ${round} checks: give it one type (let ${widened.name}: T)`);
    startTypes = result.varTypes;
  }
}

function snapshot(maps: Map<string, MapTypeInfo>): string {
  return JSON.stringify([...maps.values()].map((m) => [m.name, m.keyType, m.value]), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

function collectMapNames(node: unknown, out: Set<string>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collectMapNames(n, out);
    return;
  }
  const n = node as { kind?: string; name?: string };
  if (n.kind === 'MapRef' && n.name) out.add(n.name);
  for (const [k, v] of Object.entries(node)) if (k !== 'span' && typeof v === 'object') collectMapNames(v, out);
}
