// Helpers for the pre-type-check pass tests: a compact source-like rendering
// of the AST (so "AST in -> AST out" reads as code), and diagnostics rendered
// exactly as the CLI prints them.
import type * as A from '../../../core/syntax/ast.ts';
import { CompileError, formatDiagnostic } from '../../../core/diagnostics/index.ts';

function type(t: A.TypeExpr): string {
  switch (t.kind) {
    case 'NamedType':
      return t.size === undefined ? t.name : `${t.name}[${t.size}]`;
    case 'PointerType':
      return `${type(t.pointee)}*`;
    case 'ArrayType':
      return `${type(t.element)}[${t.length ?? ''}]`;
    case 'TypeofType':
      return `typeof(${typeOrExpr(t.target)})`;
  }
}

function typeOrExpr(t: A.TypeExpr | A.Expr): string {
  return 'op' in t || !['NamedType', 'PointerType', 'ArrayType', 'TypeofType'].includes(t.kind) ? expr(t as A.Expr) : type(t as A.TypeExpr);
}

function block(stmts: A.Stmt[], value?: A.Expr): string {
  const parts = stmts.map(stmt);
  if (value) parts.push(expr(value));
  return parts.length ? `{ ${parts.join('; ')} }` : '{ }';
}

export function expr(e: A.Expr): string {
  switch (e.kind) {
    case 'Integer':
      return e.text;
    case 'String':
      return JSON.stringify(e.value);
    case 'Bool':
      return String(e.value);
    case 'Variable':
    case 'MapRef':
      return e.name;
    case 'PositionalParam':
      return `$${e.index}`;
    case 'ParamCount':
      return '$#';
    case 'MapAccess':
      return `${e.map.name}[${e.keys.map(expr).join(', ')}]`;
    case 'Identifier':
      return e.name;
    case 'Call':
      return `${e.callee}(${e.args.map((a) => (a.kind === 'TypeArg' ? type(a.type) : expr(a))).join(', ')})`;
    case 'Binary':
      return `(${expr(e.left)} ${e.op} ${expr(e.right)})`;
    case 'Unary':
      return `${e.op}${expr(e.operand)}`;
    case 'Update':
      return e.prefix ? `${e.op}${expr(e.target)}` : `${expr(e.target)}${e.op}`;
    case 'Ternary':
      return `(${expr(e.cond)} ? ${e.then ? expr(e.then) : ''} : ${expr(e.else)})`;
    case 'FieldAccess':
      return `${expr(e.object)}${e.arrow ? '->' : '.'}${e.field}`;
    case 'TupleIndex':
      return `${expr(e.object)}.${e.index}`;
    case 'Index':
      return `${expr(e.object)}[${expr(e.index)}]`;
    case 'Cast':
      return `(${type(e.type)})${expr(e.expr)}`;
    case 'Tuple':
      return `(${e.elements.map(expr).join(', ')}${e.elements.length === 1 ? ',' : ''})`;
    case 'Record':
      return `(${e.fields.map((f) => `${f.name} = ${expr(f.value)}`).join(', ')})`;
    case 'BlockExpr':
      return block(e.statements, e.value);
    case 'IfExpr':
      return `if ${expr(e.cond)} ${expr(e.then)} else ${expr(e.else)}`;
    case 'Sizeof':
      return `sizeof(${typeOrExpr(e.target)})`;
    case 'Offsetof':
      return `offsetof(${typeOrExpr(e.target)}, ${e.path.join('.')})`;
    case 'Typeinfo':
      return `typeinfo(${typeOrExpr(e.target)})`;
    case 'Comptime':
      return `comptime ${expr(e.expr)}`;
  }
}

export function stmt(s: A.Stmt): string {
  switch (s.kind) {
    case 'ExprStmt':
      return expr(s.expr);
    case 'Discard':
      return `_ = ${expr(s.expr)}`;
    case 'Assign':
      return `${expr(s.target)} ${s.op} ${expr(s.value)}`;
    case 'LetDecl':
      return `let ${s.variable.name}${s.type ? `: ${type(s.type)}` : ''}${s.value ? ` = ${expr(s.value)}` : ''}`;
    case 'If':
      return `if ${expr(s.cond)} ${block(s.then.statements)}${s.else ? ` else ${stmt(s.else)}` : ''}`;
    case 'While':
      return `while ${expr(s.cond)} ${block(s.body.statements)}`;
    case 'Unroll':
      return `unroll(${expr(s.count)}) ${block(s.body.statements)}`;
    case 'For':
      return `for ${s.variable.name} : ${s.iterable.kind === 'Range' ? `${expr(s.iterable.from)}..${expr(s.iterable.to)}` : s.iterable.name} ${block(s.body.statements)}`;
    case 'Break':
      return 'break';
    case 'Continue':
      return 'continue';
    case 'Return':
      return s.value ? `return ${expr(s.value)}` : 'return';
    case 'Block':
      return block(s.statements);
    case 'Import':
      return `import ${JSON.stringify(s.path)}`;
  }
}

/** One line per top-level item. */
export function show(p: A.Program): string {
  return p.items.map((item) => {
    switch (item.kind) {
      case 'Probe':
        return `${item.attachPoints.map((a) => a.raw).join(',')}${item.predicate ? ` /${expr(item.predicate)}/` : ''} ${block(item.body.statements)}`;
      case 'MacroDef':
        return `macro ${item.name}(${item.params.map((p) => p.name).join(', ')}) ${expr(item.body)}`;
      case 'MapDecl':
        return `let ${item.map.name} = ${item.mapType}(${item.args.map(expr).join(', ')})`;
      case 'ConfigBlock':
        return `config = { ${item.entries.map((e) => `${e.key} = ${expr(e.value)}`).join('; ')} }`;
      case 'Import':
        return `import ${JSON.stringify(item.path)}`;
      case 'PreprocessorLine':
      case 'CDefinition':
        return item.text;
      case 'FnDef':
        return `fn ${item.name}`;
    }
  }).join('\n');
}

/** Runs `fn`, expects a CompileError, and returns its diagnostics as the CLI prints them. */
export function diagnostics(fn: () => unknown, sources: ReadonlyMap<string, string> | Record<string, string>): string {
  const texts = sources instanceof Map ? sources : new Map(Object.entries(sources));
  try {
    fn();
  } catch (e) {
    if (e instanceof CompileError) return e.diagnostics.map((d) => formatDiagnostic(d, texts)).join('');
    throw e;
  }
  throw new Error('expected a CompileError');
}
