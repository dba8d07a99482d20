// A package's macro that takes a built-in name. Upstream's rule for macros
// stands (a macro the script's side defines overrides the standard library's
// of the same name for the script's calls, never inside the library), but
// when the macro comes from a package the script cannot see that happen: the
// import warns, pointing at the package's macro and at what it hides. (A
// package's builtins and providers are checked when its plugin loads:
// packages.ts.)
import type { Builtin } from '../../sdk/index.ts';
import type { Diagnostic, Span } from '../diagnostics/index.ts';
import type { PreparedProgram } from '../passes/imports/index.ts';
import { parse } from '../syntax/index.ts';
import { StandardLibrary } from '../../stdlib/index.ts';

/** `macro name(`: the head of a definition. */
function head(span: Span, name: string): Span {
  return { file: span.file, line: span.line, col: span.col, endLine: span.line, endCol: span.col + 'macro '.length + name.length };
}

export function macroOverrideWarnings(prepared: PreparedProgram, builtins: ReadonlyMap<string, Builtin>, stdlib = new StandardLibrary()): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const { def, package: pkg } of prepared.packageMacros) {
    const at = head(def.span, def.name);
    if (builtins.has(def.name)) {
      warnings.push({ severity: 'WARNING', message: `macro ${def.name} of package "${pkg}" overrides the builtin ${def.name}(): the script's calls of ${def.name} expand the macro`, span: at });
    }
    for (const file of stdlib.filesDefining([def.name])) {
      const { name, text } = stdlib.read(file);
      const theirs = parse(text, name).items.find((i) => i.kind === 'MacroDef' && i.name === def.name);
      if (!theirs) continue;
      prepared.sources.set(name, text);
      warnings.push(
        { severity: 'WARNING', message: `macro ${def.name} of package "${pkg}" overrides the standard library's macro ${def.name} for the script's calls`, span: at },
        { severity: 'HINT', message: `the standard library's macro ${def.name} is here`, span: head(theirs.span, def.name) },
      );
    }
  }
  return warnings;
}
