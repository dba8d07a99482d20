// A deep copy of AST nodes with override points. The macro expander subclasses
// it to rename, substitute and expand while it copies; the default copies every
// node and shares nothing, so the type pass (which keys its results by node)
// never sees one node in two places.
import type * as A from '../../syntax/ast.ts';
import { isTypeExpr } from '../../syntax/index.ts';
import type { Span } from '../../diagnostics/index.ts';

export class AstRewriter {
  /** Every copied node's span passes through here. */
  span(s: Span): Span {
    return s;
  }

  program(p: A.Program): A.Program {
    return { kind: 'Program', span: this.span(p.span), items: p.items.map((i) => this.topLevel(i)) };
  }

  topLevel(item: A.TopLevel): A.TopLevel {
    switch (item.kind) {
      case 'PreprocessorLine':
      case 'CDefinition':
      case 'Import':
        return { ...item, span: this.span(item.span) };
      case 'ConfigBlock':
        return {
          kind: 'ConfigBlock',
          span: this.span(item.span),
          entries: item.entries.map((e) => ({ kind: 'ConfigEntry', span: this.span(e.span), key: e.key, value: this.expr(e.value) })),
        };
      case 'Probe': {
        const p: A.Probe = {
          kind: 'Probe',
          span: this.span(item.span),
          attachPoints: item.attachPoints.map((ap) => ({ ...ap, span: this.span(ap.span) })),
          body: this.block(item.body),
        };
        if (item.predicate) p.predicate = this.expr(item.predicate);
        return p;
      }
      case 'MacroDef':
        return {
          kind: 'MacroDef',
          span: this.span(item.span),
          name: item.name,
          params: item.params.map((p) => ({ ...p, span: this.span(p.span) })),
          body: this.blockExpr(item.body),
        };
      case 'MapDecl':
        return { kind: 'MapDecl', span: this.span(item.span), map: this.mapRef(item.map), mapType: item.mapType, args: item.args.map((a) => this.expr(a)) };
      case 'FnDef':
        return {
          kind: 'FnDef',
          span: this.span(item.span),
          name: item.name,
          params: item.params.map((p) => ({ name: p.name, type: this.typeExpr(p.type), span: this.span(p.span) })),
          returnType: this.typeExpr(item.returnType),
          body: this.block(item.body),
        };
    }
  }

  /** A statement list; an override may drop or add statements. */
  statements(list: A.Stmt[]): A.Stmt[] {
    return list.map((s) => this.stmt(s));
  }

  block(b: A.Block): A.Block {
    return { kind: 'Block', span: this.span(b.span), statements: this.statements(b.statements) };
  }

  blockExpr(b: A.BlockExpr): A.BlockExpr {
    const out: A.BlockExpr = { kind: 'BlockExpr', span: this.span(b.span), statements: this.statements(b.statements) };
    if (b.value) out.value = this.expr(b.value);
    return out;
  }

  stmt(s: A.Stmt): A.Stmt {
    const span = this.span(s.span);
    switch (s.kind) {
      case 'ExprStmt':
        return { kind: 'ExprStmt', span, expr: this.expr(s.expr) };
      case 'Discard':
        return { kind: 'Discard', span, expr: this.expr(s.expr) };
      case 'Assign':
        return { kind: 'Assign', span, target: this.assignTarget(s.target), op: s.op, value: this.expr(s.value) };
      case 'LetDecl': {
        const out: A.LetDecl = { kind: 'LetDecl', span, variable: this.variable(s.variable) };
        if (s.type) out.type = this.typeExpr(s.type);
        if (s.value) out.value = this.expr(s.value);
        return out;
      }
      case 'If':
        return this.ifStmt(s);
      case 'While':
        return { kind: 'While', span, cond: this.expr(s.cond), body: this.block(s.body) };
      case 'Unroll':
        return { kind: 'Unroll', span, count: this.expr(s.count), body: this.block(s.body) };
      case 'For': {
        const iterable: A.MapRef | A.Range = s.iterable.kind === 'Range'
          ? { kind: 'Range', span: this.span(s.iterable.span), from: this.expr(s.iterable.from), to: this.expr(s.iterable.to) }
          : this.mapRef(s.iterable);
        return { kind: 'For', span, variable: this.variable(s.variable), iterable, body: this.block(s.body) };
      }
      case 'Break':
      case 'Continue':
        return { kind: s.kind, span };
      case 'Return': {
        const out: A.Return = { kind: 'Return', span };
        if (s.value) out.value = this.expr(s.value);
        return out;
      }
      case 'Block':
        return this.block(s);
      case 'Import':
        return { kind: 'Import', span, path: s.path };
    }
  }

  private ifStmt(s: A.If): A.If {
    const out: A.If = { kind: 'If', span: this.span(s.span), comptime: s.comptime, cond: this.expr(s.cond), then: this.block(s.then) };
    if (s.else) out.else = s.else.kind === 'If' ? this.ifStmt(s.else) : this.block(s.else);
    return out;
  }

  assignTarget(t: A.Variable | A.MapRef | A.MapAccess): A.Variable | A.MapRef | A.MapAccess {
    if (t.kind === 'Variable') return this.variable(t);
    if (t.kind === 'MapRef') return this.mapRef(t);
    return this.mapAccess(t);
  }

  /** Every `$x`, wherever it appears (read, assignment target, `let`, `for`). */
  variable(v: A.Variable): A.Variable {
    return { kind: 'Variable', span: this.span(v.span), name: v.name };
  }

  /** Every `@m`, wherever it appears (read, target, map access, `for`, declaration). */
  mapRef(m: A.MapRef): A.MapRef {
    return { kind: 'MapRef', span: this.span(m.span), name: m.name };
  }

  mapAccess(m: A.MapAccess): A.MapAccess {
    return { kind: 'MapAccess', span: this.span(m.span), map: this.mapRef(m.map), keys: m.keys.map((k) => this.expr(k)) };
  }

  /** A call argument: an expression or a type. */
  arg(a: A.Expr | A.TypeArg): A.Expr | A.TypeArg {
    return a.kind === 'TypeArg' ? { kind: 'TypeArg', span: this.span(a.span), type: this.typeExpr(a.type) } : this.expr(a);
  }

  /** The field names of offsetof (`a.b.c`). */
  fieldPath(path: readonly string[]): string[] {
    return [...path];
  }

  /** The operand of sizeof/typeof/typeinfo/offsetof: a type or an expression. */
  typeOrExpr(t: A.TypeExpr | A.Expr): A.TypeExpr | A.Expr {
    return isTypeExpr(t) ? this.typeExpr(t) : this.expr(t);
  }

  typeExpr(t: A.TypeExpr): A.TypeExpr {
    const span = this.span(t.span);
    switch (t.kind) {
      case 'NamedType':
        return { ...t, span };
      case 'PointerType':
        return { kind: 'PointerType', span, pointee: this.typeExpr(t.pointee) };
      case 'ArrayType': {
        const out: A.ArrayType = { kind: 'ArrayType', span, element: this.typeExpr(t.element) };
        if (t.length !== undefined) out.length = t.length;
        return out;
      }
      case 'TypeofType':
        return { kind: 'TypeofType', span, target: this.typeOrExpr(t.target) };
    }
  }

  expr(e: A.Expr): A.Expr {
    const span = this.span(e.span);
    switch (e.kind) {
      case 'Integer':
      case 'String':
      case 'Bool':
      case 'PositionalParam':
      case 'ParamCount':
      case 'Identifier':
        return { ...e, span };
      case 'Variable':
        return this.variable(e);
      case 'MapRef':
        return this.mapRef(e);
      case 'MapAccess':
        return this.mapAccess(e);
      case 'Call':
        return { kind: 'Call', span, callee: e.callee, calleeSpan: this.span(e.calleeSpan), args: e.args.map((a) => this.arg(a)) };
      case 'Binary':
        return { kind: 'Binary', span, op: e.op, left: this.expr(e.left), right: this.expr(e.right) };
      case 'Unary':
        return { kind: 'Unary', span, op: e.op, operand: this.expr(e.operand) };
      case 'Update':
        return { kind: 'Update', span, op: e.op, prefix: e.prefix, target: this.assignTarget(e.target) };
      case 'Ternary': {
        const out: A.Ternary = { kind: 'Ternary', span, cond: this.expr(e.cond), else: this.expr(e.else) };
        if (e.then) out.then = this.expr(e.then);
        return out;
      }
      case 'FieldAccess':
        return { kind: 'FieldAccess', span, object: this.expr(e.object), field: e.field, arrow: e.arrow };
      case 'TupleIndex':
        return { kind: 'TupleIndex', span, object: this.expr(e.object), index: e.index };
      case 'Index':
        return { kind: 'Index', span, object: this.expr(e.object), index: this.expr(e.index) };
      case 'Cast':
        return { kind: 'Cast', span, type: this.typeExpr(e.type), expr: this.expr(e.expr) };
      case 'Tuple':
        return { kind: 'Tuple', span, elements: e.elements.map((x) => this.expr(x)) };
      case 'Record':
        return { kind: 'Record', span, fields: e.fields.map((f) => ({ name: f.name, value: this.expr(f.value), span: this.span(f.span) })) };
      case 'BlockExpr':
        return this.blockExpr(e);
      case 'IfExpr':
        return this.ifExpr(e);
      case 'Sizeof':
        return { kind: 'Sizeof', span, target: this.typeOrExpr(e.target) };
      case 'Offsetof':
        return { kind: 'Offsetof', span, target: this.typeOrExpr(e.target), path: this.fieldPath(e.path) };
      case 'Typeinfo':
        return { kind: 'Typeinfo', span, target: this.typeOrExpr(e.target) };
      case 'Comptime':
        return { kind: 'Comptime', span, expr: this.expr(e.expr) };
    }
  }

  private ifExpr(e: A.IfExpr): A.IfExpr {
    return {
      kind: 'IfExpr',
      span: this.span(e.span),
      comptime: e.comptime,
      cond: this.expr(e.cond),
      then: this.blockExpr(e.then),
      else: e.else.kind === 'IfExpr' ? this.ifExpr(e.else) : this.blockExpr(e.else),
    };
  }
}

/** A deep copy of an expression or type argument. */
export function cloneArg<T extends A.Expr | A.TypeArg>(a: T): T {
  return new AstRewriter().arg(a) as T;
}

/** Names a program refers to as functions or bare words: candidates for macro expansion. */
export function referencedNames(items: readonly A.TopLevel[]): Set<string> {
  const names = new Set<string>();
  const collector = new (class extends AstRewriter {
    override expr(e: A.Expr): A.Expr {
      if (e.kind === 'Call') names.add(e.callee);
      else if (e.kind === 'Identifier') names.add(e.name);
      return super.expr(e);
    }
  })();
  for (const item of items) collector.topLevel(item);
  return names;
}
