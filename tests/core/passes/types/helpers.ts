// Helpers for the type pass tests: a script through checkProgram (fixed
// providers, tracefs and kernel types, no live kernel), its results as short
// strings, and its diagnostics exactly as the CLI prints them.
import type * as A from '../../../../core/syntax/ast.ts';
import type { ValueType } from '../../../../core/manifest/index.ts';
import type { InstanceTypes, MapTypeInfo } from '../../../../core/passes/types/index.ts';
import { formatDiagnostic } from '../../../../core/diagnostics/index.ts';
import { typeName } from '../../../../core/types/index.ts';
import { checkScript, type CheckedScript, type CheckScriptOptions } from '../../../../testing/fixed-env/index.ts';
import { diagnostics } from '../helpers.ts';

export { checkScript };

/** The variables of each probe instance: id -> type name. */
export function varsOf(src: string, opts?: CheckScriptOptions): Record<string, string>[] {
  return checkScript(src, opts).typed.instances.map((i) => Object.fromEntries([...i.varTypes].map(([id, t]) => [id, typeName(t)])));
}

/** A map as `@name[key]: value` (value kinds other than plain as `count_t`...; `?` while it has none). */
export function describeMap(m: MapTypeInfo): string {
  const key = m.keyType ? `[${typeName(m.keyType)}]` : '';
  const value = !m.value ? '?' : m.value.kind === 'plain' ? typeName(m.value.type) : `${m.value.kind}_t`;
  return `${m.name}${key}: ${value}`;
}

export function mapsOf(src: string, opts?: CheckScriptOptions): string[] {
  return [...checkScript(src, opts).typed.maps.values()].map(describeMap);
}

/** An expression's type, with its folded value when it has one: `uint64 = 3`, `string[6] = "uint8"`. */
export function describeExpr(types: InstanceTypes, e: A.Expr): string {
  const t: ValueType | undefined = types.exprTypes.get(e);
  const name = t ? typeName(t) : 'unchecked';
  const c = types.constants.get(e);
  if (c !== undefined) return `${name} = ${c}`;
  const s = types.strings.get(e);
  return s !== undefined ? `${name} = ${JSON.stringify(s)}` : name;
}

/** The argument of every `print(...)` the pass checked, in source order over all instances. */
export function printed(src: string, opts?: CheckScriptOptions): string[] {
  return printedIn(checkScript(src, opts));
}

export function printedIn(checked: CheckedScript): string[] {
  const out: [A.Call, string][] = [];
  for (const types of checked.typed.instances) {
    for (const e of types.exprTypes.keys()) {
      if (e.kind === 'Call' && e.callee === 'print' && e.args[0]?.kind !== 'TypeArg') out.push([e, describeExpr(types, e.args[0] as A.Expr)]);
    }
  }
  const at = (c: A.Call) => c.span.line * 1e6 + c.span.col;
  return out.sort((a, b) => at(a[0]) - at(b[0])).map(([, d]) => d);
}

/** The error checking `src` stops at, rendered as the CLI prints it (standard-library lines included). */
export function errorOf(src: string, opts: CheckScriptOptions = {}): string {
  const sources = new Map<string, string>();
  return diagnostics(() => checkScript(src, { ...opts, sources }), sources);
}

/** The type pass's warnings, rendered as the CLI prints them. */
export function warningsOf(src: string, opts?: CheckScriptOptions): string {
  const checked = checkScript(src, opts);
  return checked.typed.warnings.items.map((d) => formatDiagnostic(d, checked.sources)).join('');
}
