// Named program parameters: `-- --name=value` / `-- --flag` on the command
// line, getopt("name", default[, "description"]) in the script.
import type { Program } from '../core/syntax/ast.ts';
import type { Diagnostic } from '../core/diagnostics/index.ts';
import { getoptDeclaration, type GetoptDeclaration } from '../plugins/builtins/index.ts';

/** Every getopt() call with a valid declaration, in source order, one per name. */
export function scriptOptions(program: Program): GetoptDeclaration[] {
  const found = new Map<string, GetoptDeclaration>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    const n = node as { kind?: string; callee?: string; args?: unknown };
    if (n.kind === 'Call' && n.callee === 'getopt') {
      const d = getoptDeclaration(n.args as Parameters<typeof getoptDeclaration>[0]);
      if (!('error' in d) && !found.has(d.name)) found.set(d.name, d);
    }
    for (const [k, v] of Object.entries(node)) if (k !== 'span' && typeof v === 'object') visit(v);
  };
  visit(program.items);
  return [...found.values()];
}

/** The PROGRAM OPTIONS section `-h` adds for a script. */
export function formatScriptOptions(options: GetoptDeclaration[]): string {
  if (options.length === 0) return 'PROGRAM OPTIONS:\n    (this program takes no named options)\n';
  const rows = options.map((o) => {
    const flag = o.kind === 'bool' ? `--${o.name}` : `--${o.name}=${o.kind === 'int' ? 'INT' : 'STRING'}`;
    const dflt = o.kind === 'string' ? JSON.stringify(o.default) : String(o.default);
    return [flag, `${o.description ? `${o.description} ` : ''}(default: ${dflt})`] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return `PROGRAM OPTIONS:\n${rows.map(([f, d]) => `    ${f.padEnd(width)}${d}`).join('\n')}\n`;
}

/** The command line's named parameters as getopt() reads them (a later one wins). */
export function namedParamValues(params: { name: string; value?: string }[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (const p of params) out[p.name] = p.value ?? true;
  return out;
}

/**
 * Named parameters the script never asks for, in upstream's words: one error
 * naming them all, and a hint with the options the script has. `--help`
 * among them is a question, not a mistake: no error for it, and the hint
 * lists one option a line with its description.
 */
export function unknownParams(params: { name: string }[], program: Program): Diagnostic[] {
  const options = scriptOptions(program);
  const known = new Set(options.map((o) => o.name));
  const unknown = [...new Set(params.map((p) => p.name).filter((name) => !known.has(name)))];
  if (unknown.length === 0) return [];
  const out: Diagnostic[] = [];
  const mistakes = unknown.filter((name) => name !== 'help');
  if (mistakes.length) out.push({ severity: 'ERROR', message: `unexpected program command line options: ${mistakes.map((n) => `--${n}`).join(', ')}` });
  out.push({ severity: 'HINT', message: optionsHint(options, unknown.includes('help')) });
  return out;
}

function optionsHint(options: GetoptDeclaration[], helpAsked: boolean): string {
  if (options.length === 0) return 'no custom program options defined.';
  if (!helpAsked) return `expected program options: ${options.map((o) => `--${o.name}`).join(', ')}`;
  return ['expected program options:', ...options.map((o) => `--${o.name}${o.description ? `: ${o.description}` : ''}`)].join('\n');
}
