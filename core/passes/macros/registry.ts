// Macro definitions by name, overloaded by arity and parameter flavor, in two
// layers: the user's (the script and the files it imports) and the standard
// library's. A user call sees a user macro first and falls back to the
// library; a library macro only ever calls library macros, so a user macro
// that overrides `foo()` does not change what the library's own `foo()` calls do.
import type * as A from '../../syntax/ast.ts';
import { CompileError, type Diagnostic, type Span } from '../../diagnostics/index.ts';

export type MacroLayer = 'user' | 'library';

export interface RegisteredMacro {
  def: A.MacroDef;
  layer: MacroLayer;
}

type ArgKind = 'var' | 'map' | 'expr';

function argKind(a: A.Expr | A.TypeArg): ArgKind {
  return a.kind === 'Variable' ? 'var' : a.kind === 'MapRef' ? 'map' : 'expr';
}

function paramKind(p: A.MacroParam): ArgKind {
  return p.kind === 'VarParam' ? 'var' : p.kind === 'MapParam' ? 'map' : 'expr';
}

/**
 * How far a definition is from a call: each missing or extra argument counts
 * 1024, each argument of the wrong flavor 1 (an expression parameter takes any
 * argument). 0 is a match.
 */
function distance(def: A.MacroDef, kinds: ArgKind[]): number {
  let d = 1024 * Math.abs(def.params.length - kinds.length);
  for (let i = 0; i < Math.min(def.params.length, kinds.length); i++) {
    const want = paramKind(def.params[i]!);
    if (want !== 'expr' && want !== kinds[i]) d++;
  }
  return d;
}

/** `macro name` of a definition: where "the closest definition" points. */
export function macroHeadSpan(def: A.MacroDef): Span {
  const s = def.span;
  return { file: s.file, line: s.line, col: s.col, endLine: s.line, endCol: s.col + 'macro '.length + def.name.length };
}

export class MacroRegistry {
  private readonly layers = { user: new Map<string, A.MacroDef[]>(), library: new Map<string, A.MacroDef[]>() };
  private readonly layerOf = new Map<A.MacroDef, MacroLayer>();

  /** Adds definitions in order; a definition an earlier one of its layer already accepts is an error. */
  add(defs: readonly A.MacroDef[], layer: MacroLayer): void {
    for (const def of defs) {
      validateParams(def);
      const same = this.layers[layer].get(def.name) ?? [];
      const kinds = def.params.map(paramKind);
      const earlier = same.find((m) => distance(m, kinds) === 0);
      if (earlier) {
        throw new CompileError([
          { severity: 'ERROR', message: `Redefinition of macro: ${def.name}`, span: macroHeadSpan(def) },
          { severity: 'ERROR', message: 'This is the original definition.', span: macroHeadSpan(earlier) },
        ]);
      }
      same.push(def);
      this.layers[layer].set(def.name, same);
      this.layerOf.set(def, layer);
    }
  }

  layer(def: A.MacroDef): MacroLayer {
    return this.layerOf.get(def) ?? 'user';
  }

  /** Every definition with its layer (for listings and docs). */
  all(): RegisteredMacro[] {
    return [...this.layerOf].map(([def, layer]) => ({ def, layer }));
  }

  /**
   * The macro a call (or a bare word, with no arguments) expands to, or
   * undefined when no macro has that name (a builtin, then). A name that
   * exists but whose overloads all mismatch is an error saying what is wrong
   * with the closest one.
   */
  resolve(name: string, args: (A.Expr | A.TypeArg)[], callSpan: Span, from: MacroLayer): A.MacroDef | undefined {
    const kinds = args.map(argKind);
    const candidates = from === 'user'
      ? [this.layers.user.get(name) ?? [], this.layers.library.get(name) ?? []]
      : [this.layers.library.get(name) ?? []];
    for (const defs of candidates) {
      const exact = defs.find((d) => distance(d, kinds) === 0);
      if (exact) return exact;
    }
    const all = candidates.flat();
    if (all.length === 0) return undefined;
    let closest = all[0]!;
    for (const d of all) if (distance(d, kinds) < distance(closest, kinds)) closest = d;
    throw new CompileError(mismatch(name, closest, args, callSpan));
  }
}

function validateParams(def: A.MacroDef): void {
  const seen = new Set<string>();
  for (const p of def.params) {
    if (seen.has(p.name)) {
      const what = p.kind === 'VarParam' ? 'Variable' : p.kind === 'MapParam' ? 'Map' : 'Identifier';
      throw new CompileError({ severity: 'ERROR', message: `${what} for macro argument has already been used: ${p.name}`, span: p.span });
    }
    seen.add(p.name);
  }
}

function mismatch(name: string, def: A.MacroDef, args: (A.Expr | A.TypeArg)[], callSpan: Span): Diagnostic[] {
  const out: Diagnostic[] = [
    { severity: 'ERROR', message: `Call to ${name}() has arguments that do not match any definition.`, span: callSpan },
  ];
  if (def.params.length !== args.length) {
    out.push({
      severity: 'ERROR',
      message: `The closest definition of ${name}() has a different number of arguments. Expected: ${def.params.length} but got ${args.length}`,
      span: macroHeadSpan(def),
    });
    return out;
  }
  def.params.forEach((p, i) => {
    const got = argKind(args[i]!);
    const want = paramKind(p);
    if (want === 'expr' || want === got) return;
    const gotWords = got === 'var' ? 'a variable' : got === 'map' ? 'a map' : 'an expression';
    out.push({
      severity: 'ERROR',
      message: `Mismatched arg. ${name}() expects ${want === 'var' ? 'a variable' : 'a map'} for arg ${p.name} but got ${gotWords}.`,
      span: args[i]!.span,
    });
    out.push({ severity: 'ERROR', message: 'This is the argument in the closest definition.', span: p.span });
  });
  return out;
}
