// `-d STAGE` output (stderr): the AST, the types the type pass found, the
// generated C, the Manifest. libbpf and verifier logs come from the session.
import type { CompiledScript } from '../core/session/index.ts';
import type * as A from '../core/syntax/ast.ts';
import type { MapValueKind } from '../core/manifest/index.ts';
import { typeName } from '../core/types/index.ts';
import { formatExpr } from '../core/format/index.ts';
import type { DebugStage } from './args.ts';
import type { Span } from '../core/diagnostics/index.ts';

const jsonReplacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

function valueKindText(v: MapValueKind | undefined): string {
  if (!v) return 'unknown';
  switch (v.kind) {
    case 'plain':
      return typeName(v.type);
    case 'hist':
      return `hist(k=${v.bits})`;
    case 'lhist':
      return `lhist(${v.min}, ${v.max}, ${v.step})`;
    case 'tseries':
      return `tseries(${v.interval}, ${v.num}, ${v.agg}, ${v.signed ? 'signed' : 'unsigned'})`;
    case 'count':
      return 'count';
    default:
      return `${v.kind}(${v.signed ? 'signed' : 'unsigned'})`;
  }
}

/**
 * Where and as what an expression is listed: a macro call's value at the
 * script's call (`comm`), other code of a macro's body not at all, the rest
 * as written.
 */
function shownAs(e: A.Expr): { span: Span; text: string } | undefined {
  const { macroValueOf: valueOf } = e.span;
  if (valueOf && !valueOf.call.expandedFrom) return { span: valueOf.call, text: valueOf.text };
  if (e.span.expandedFrom) return undefined;
  return { span: e.span, text: formatExpr(e) };
}

/** Every map's key and value, then per probe instance its variables and each expression's type, in source order. */
export function typesReport(compiled: CompiledScript): string {
  const lines: string[] = ['Maps:'];
  for (const m of [...compiled.typed.maps.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    lines.push(`  ${m.name}${m.keyType ? `[${typeName(m.keyType)}]` : ''}: ${valueKindText(m.value)}`);
  }
  for (const inst of compiled.typed.instances) {
    lines.push('', `Probe ${inst.instance.expanded.name}:`);
    for (const [id, t] of [...inst.varTypes].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`  ${id}: ${typeName(t)}`);
    const exprs = [...inst.exprTypes].flatMap(([e, t]) => {
      const shown = shownAs(e as A.Expr);
      return shown ? [{ ...shown, t }] : [];
    });
    exprs.sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col || b.span.endCol - a.span.endCol);
    for (const { span, text, t } of exprs) lines.push(`  ${span.line}:${span.col}  ${text.split('\n').join(' ')} :: ${typeName(t)}`);
  }
  return lines.join('\n') + '\n';
}

/** The stages printed before loading; `w` writes to stderr. */
export function printDebugStages(stages: ReadonlySet<DebugStage>, compiled: CompiledScript, w: (text: string) => void): void {
  if (stages.has('ast')) w(`${JSON.stringify(compiled.program, jsonReplacer, 2)}\n`);
  if (stages.has('types')) w(typesReport(compiled));
  if (stages.has('c')) w(compiled.c);
  if (stages.has('manifest')) w(`${JSON.stringify(compiled.manifest, jsonReplacer, 2)}\n`);
}
