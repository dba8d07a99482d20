// The type pass's driver: infers and checks the type of every expression of
// every probe instance, each scratch variable, and each map's key and value
// (global across probes). Builtins are typed through their plugin's `check`;
// provider context identifiers (`args`, `arg0`) through the provider.
import type * as A from '../../syntax/ast.ts';
import { DiagnosticBag } from '../../diagnostics/index.ts';
import type { ProbeInstance } from '../../probes/index.ts';
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
    results = instances.map((inst) => new InstanceChecker(inst, maps, opts, false, warnings).run());
    if (snapshot(maps) === before || last) break;
  }
  // Final strict round: every map read must now be typed.
  warnings.items.length = 0;
  results = instances.map((inst) => new InstanceChecker(inst, maps, opts, true, warnings).run());
  return { instances: results, maps, warnings };
}

function snapshot(maps: Map<string, MapTypeInfo>): string {
  return JSON.stringify([...maps.values()].map((m) => [m.name, m.keyType, m.value]), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}
