// Hygienic macro expansion: every call of a macro (or bare word naming a
// zero-argument macro) becomes a block expression holding a copy of the
// macro's body (or just its value, when the body has no statements), in two
// steps per call:
//
//   1. copy the body: `$v` parameters become the caller's variable, `@m`
//      parameters the caller's map, expression parameters a fresh copy of the
//      argument at each use (so `{ printf("hi") }` passed to `x; x; x` prints
//      three times), the body's own variables get a name unique to this
//      expansion; anything else from outside is an error;
//   2. expand the macro calls in that copy, as the macro's layer sees them.
//
// Arguments are expanded before the call (in the caller's context) and never
// touched again, so nothing of the caller is renamed or checked twice.
// Body nodes keep their spans (errors point into the macro) plus the call
// they came through (printed as context).
import type * as A from '../../syntax/ast.ts';
import { checkNesting, isTypeExpr, MAX_NESTING_DEPTH } from '../../syntax/index.ts';
import { errorAt, type Span } from '../../diagnostics/index.ts';
import { formatExpr } from '../../format/index.ts';
import { AstRewriter } from './rewriter.ts';
import { MacroRegistry, type MacroLayer } from './registry.ts';

/** `import "x.bpf.c";` inside a macro: linked in when the macro is used. */
export interface StatementImport {
  path: string;
  /** Where the import is written (in the macro's own file). */
  span: Span;
  macro: string;
}

export interface MacroExpansionOptions {
  /** Standard-library macros: overridable by user macros, calling only each other. */
  library?: readonly A.MacroDef[];
  /**
   * Most expressions macro bodies may produce: an argument used twice in a
   * macro, passed through nested calls, doubles the code at each level.
   */
  maxExpandedNodes?: number;
}

export interface MacroExpansionResult {
  /** The program without macro definitions and without macro calls. */
  program: A.Program;
  registry: MacroRegistry;
  statementImports: StatementImport[];
  /** How many calls were expanded. */
  expansions: number;
}

export const defaultMaxExpandedNodes = 200_000;

interface State {
  registry: MacroRegistry;
  /** Caller code spliced into a body: already expanded, never renamed. */
  frozen: WeakSet<object>;
  imports: StatementImport[];
  expansions: number;
  /** Expressions produced by expansions so far, against the limit. */
  nodes: number;
  maxNodes: number;
  /** Expressions being rewritten, one inside the other (the rewriters' recursion), against the nesting limit. */
  depth: number;
}

interface Context {
  layer: MacroLayer;
  /** The macros being expanded, outermost first. */
  stack: A.MacroDef[];
}

export function expandMacros(program: A.Program, opts: MacroExpansionOptions = {}): MacroExpansionResult {
  const registry = new MacroRegistry();
  registry.add(opts.library ?? [], 'library');
  registry.add(program.items.filter((i): i is A.MacroDef => i.kind === 'MacroDef'), 'user');
  const state: State = { registry, frozen: new WeakSet(), imports: [], expansions: 0, nodes: 0, maxNodes: opts.maxExpandedNodes ?? defaultMaxExpandedNodes, depth: 0 };
  const expander = new Expander(state, { layer: 'user', stack: [] });
  const items = program.items.filter((i) => i.kind !== 'MacroDef').map((i) => expander.topLevel(i));
  const expanded: A.Program = { kind: 'Program', span: program.span, items };
  // Arguments spliced into bodies nest deeper than anything written: the result is checked again.
  if (state.expansions > 0) checkNesting(expanded);
  return { program: expanded, registry, statementImports: state.imports, expansions: state.expansions };
}

/**
 * Rewrites one expression a level deeper. The expression rewriters (the
 * expander, the body and argument copiers) call each other, so their
 * recursion is as deep as the expanded code: it stops, located, well before
 * the stack would (the expanded program must keep to the nesting limit anyway).
 */
function nested<T>(state: State, at: Span, rewrite: () => T): T {
  if (state.depth >= 2 * MAX_NESTING_DEPTH) {
    throw errorAt(at, `nesting too deep: more than ${MAX_NESTING_DEPTH} levels of blocks, statements and expressions once macros are expanded`);
  }
  state.depth++;
  try {
    return rewrite();
  } finally {
    state.depth--;
  }
}

/** Replaces macro calls by their expansion; copies everything else. */
class Expander extends AstRewriter {
  constructor(
    private readonly state: State,
    private readonly ctx: Context,
  ) {
    super();
  }

  override arg(a: A.Expr | A.TypeArg): A.Expr | A.TypeArg {
    return this.state.frozen.has(a) ? a : super.arg(a);
  }

  override expr(e: A.Expr): A.Expr {
    if (this.state.frozen.has(e)) return e;
    return nested(this.state, e.span, () => this.expand(e));
  }

  private expand(e: A.Expr): A.Expr {
    if (e.kind === 'Call') {
      const args = e.args.map((a) => this.arg(a));
      const def = this.state.registry.resolve(e.callee, args, e.span, this.ctx.layer);
      if (def) return this.instantiate(def, args, e.span, formatExpr(e));
      return { kind: 'Call', span: e.span, callee: e.callee, calleeSpan: e.calleeSpan, args };
    }
    if (e.kind === 'Identifier') {
      const def = this.state.registry.resolve(e.name, [], e.span, this.ctx.layer);
      if (def) return this.instantiate(def, [], e.span, e.name);
    }
    return super.expr(e);
  }

  private instantiate(def: A.MacroDef, args: (A.Expr | A.TypeArg)[], call: Span, callText: string): A.Expr {
    const { stack } = this.ctx;
    const first = stack.indexOf(def);
    if (first >= 0) {
      const chain = [...stack.slice(first), def].map((m) => m.name).join(' > ');
      throw errorAt(call, `Recursive macro call detected. Call chain: ${chain}`);
    }
    const body = new BodyCopier(this.state, def, args, ++this.state.expansions, call).blockExpr(def.body);
    const layer = this.state.registry.layer(def);
    const expanded = new Expander(this.state, { layer, stack: [...stack, def] }).blockExpr(body);
    // `{ x + 1 }` is just `x + 1`: keeps `@m = my_hist(v)` a direct aggregation call.
    // Its span records the call it stands for (`-d types` shows the call there).
    if (expanded.statements.length === 0 && expanded.value) {
      const value = { ...expanded.value, span: { ...expanded.value.span, macroValueOf: { call, text: callText } } } as A.Expr;
      if (this.state.frozen.has(expanded.value)) this.state.frozen.add(value);
      return value;
    }
    return { ...expanded, span: call };
  }
}

/** Step 1: a copy of one macro body for one call, with parameters bound and locals renamed. */
class BodyCopier extends AstRewriter {
  private readonly exprParams = new Map<string, A.Expr | A.TypeArg>();
  private readonly varParams = new Map<string, string>();
  private readonly mapParams = new Map<string, string>();
  private readonly locals: Set<string>;
  private readonly site: { macro: string; call: Span };

  constructor(
    private readonly state: State,
    private readonly def: A.MacroDef,
    args: (A.Expr | A.TypeArg)[],
    private readonly serial: number,
    call: Span,
  ) {
    super();
    def.params.forEach((p, i) => {
      const a = args[i]!;
      // The registry only matches `$v`/`@m` parameters with a variable/map argument.
      if (p.kind === 'VarParam') this.varParams.set(p.name, (a as A.Variable).name);
      else if (p.kind === 'MapParam') this.mapParams.set(p.name, (a as A.MapRef).name);
      else this.exprParams.set(p.name, a);
    });
    this.locals = localsOf(def, this.varParams);
    this.site = { macro: def.name, call };
  }

  override span(s: Span): Span {
    return { ...s, expandedFrom: this.site };
  }

  override statements(list: A.Stmt[]): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (const s of list) {
      if (s.kind === 'Import') this.state.imports.push({ path: s.path, span: s.span, macro: this.def.name });
      else out.push(this.stmt(s));
    }
    return out;
  }

  override stmt(s: A.Stmt): A.Stmt {
    if ((s.kind === 'LetDecl' || s.kind === 'For') && this.varParams.has(s.variable.name)) {
      throw errorAt(this.span(s.kind === 'LetDecl' ? s.span : s.variable.span), `Variable declaration shadows macro arg ${s.variable.name}`);
    }
    return super.stmt(s);
  }

  override variable(v: A.Variable): A.Variable {
    const span = this.span(v.span);
    const caller = this.varParams.get(v.name);
    if (caller !== undefined) return { kind: 'Variable', span, name: caller };
    if (this.locals.has(v.name)) return { kind: 'Variable', span, name: `$__${this.def.name}_${this.serial}_${v.name.slice(1)}` };
    throw errorAt(span, `Unhygienic access to variable: ${v.name}. Variables must be passed into the macro as arguments.`);
  }

  override mapRef(m: A.MapRef): A.MapRef {
    const span = this.span(m.span);
    const caller = this.mapParams.get(m.name);
    if (caller !== undefined) return { kind: 'MapRef', span, name: caller };
    throw errorAt(span, `Unhygienic access to map: ${m.name}. Maps must be passed into the macro as arguments.`);
  }

  override expr(e: A.Expr): A.Expr {
    count(this.state, e.span);
    if (e.kind !== 'Identifier' || !this.exprParams.has(e.name)) return nested(this.state, e.span, () => super.expr(e));
    const bound = this.exprParams.get(e.name)!;
    if (bound.kind === 'TypeArg') {
      throw errorAt(this.span(e.span), `Macro argument ${e.name} is a type and cannot be used as a value here`);
    }
    // A variable or map passed for an expression is read, never written: wrap it like `{ $a }`.
    const copy = this.frozenCopy(bound);
    if (copy.kind !== 'Variable' && copy.kind !== 'MapRef') return copy;
    const block: A.BlockExpr = { kind: 'BlockExpr', span: copy.span, statements: [], value: copy };
    this.state.frozen.add(block);
    return block;
  }

  override arg(a: A.Expr | A.TypeArg): A.Expr | A.TypeArg {
    const bound = a.kind === 'Identifier' ? this.exprParams.get(a.name) : undefined;
    return bound?.kind === 'TypeArg' ? this.frozenCopy(bound) : super.arg(a);
  }

  override typeOrExpr(t: A.TypeExpr | A.Expr): A.TypeExpr | A.Expr {
    return (isTypeExpr(t) ? undefined : this.boundType(t)) ?? super.typeOrExpr(t);
  }

  /**
   * An operand of sizeof/typeof/typeinfo/offsetof written over a parameter
   * bound to a type: `t` is that type and, as upstream, `t[2]` an array of
   * it (parsed as an index, since `t` is no type name where it is written).
   */
  private boundType(e: A.Expr): A.TypeExpr | undefined {
    if (e.kind === 'Identifier') {
      const bound = this.exprParams.get(e.name);
      return bound?.kind === 'TypeArg' ? this.frozenCopy(bound).type : undefined;
    }
    if (e.kind !== 'Index' || e.index.kind !== 'Integer') return undefined;
    const element = this.boundType(e.object);
    return element && { kind: 'ArrayType', span: this.span(e.span), element, length: Number(e.index.value) };
  }

  /** `offsetof(type, member)` in a macro: a field name that is a parameter bound to a bare name becomes that name. */
  override fieldPath(path: readonly string[]): string[] {
    return path.map((name) => {
      const bound = this.exprParams.get(name);
      return bound?.kind === 'Identifier' ? bound.name : name;
    });
  }

  override typeExpr(t: A.TypeExpr): A.TypeExpr {
    const bound = t.kind === 'NamedType' && t.size === undefined ? this.exprParams.get(t.name) : undefined;
    if (!bound) return super.typeExpr(t);
    // `(t)x` with t = typeof(uint8) is a cast to typeof(uint8); with t = $a, a cast to typeof($a).
    if (bound.kind === 'TypeArg') return this.frozenCopy(bound).type;
    return { kind: 'TypeofType', span: this.span(t.span), target: this.frozenCopy(bound) };
  }

  private frozenCopy<T extends A.Expr | A.TypeArg>(node: T): T {
    const { state } = this;
    const frozen = state.frozen;
    const copier = new (class extends AstRewriter {
      override expr(e: A.Expr): A.Expr {
        count(state, e.span);
        const c = nested(state, e.span, () => super.expr(e));
        frozen.add(c);
        return c;
      }
      override arg(x: A.Expr | A.TypeArg): A.Expr | A.TypeArg {
        const c = super.arg(x);
        frozen.add(c);
        return c;
      }
    })();
    return copier.arg(node) as T;
  }
}

function count(state: State, at: Span): void {
  if (++state.nodes > state.maxNodes) {
    throw errorAt(at, `Macro expansion limit reached: macros produced more than ${state.maxNodes} expressions. An argument used several times in a macro is copied at each use; bind it to a variable (let $v = x;) in the macro.`);
  }
}

/** Variables a macro body creates (assigned, declared, looped over), other than its `$v` parameters. */
function localsOf(def: A.MacroDef, varParams: Map<string, string>): Set<string> {
  const locals = new Set<string>();
  const add = (v: A.Variable) => {
    if (!varParams.has(v.name)) locals.add(v.name);
  };
  new (class extends AstRewriter {
    override stmt(s: A.Stmt): A.Stmt {
      if (s.kind === 'Assign' && s.target.kind === 'Variable') add(s.target);
      else if (s.kind === 'LetDecl' || s.kind === 'For') add(s.variable);
      return super.stmt(s);
    }
  })().blockExpr(def.body);
  return locals;
}
