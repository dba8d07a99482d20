// Test helpers for the syntax room: unambiguous parsing, span stripping, a
// compact S-expression rendering of the AST, and diagnostic formatting.
import { CompileError, formatDiagnostic } from '../../../core/diagnostics/index.ts';
import { parseDetailed } from '../../../core/syntax/index.ts';
import type * as A from '../../../core/syntax/index.ts';

/** Parses and fails loudly unless the grammar found exactly one derivation. */
export function parseOne(text: string, file = 'stdin'): A.Program {
  const r = parseDetailed(text, file);
  if (r.parses !== 1) throw new Error(`ambiguous grammar: ${r.parses} parses for ${JSON.stringify(text)}`);
  return r.program;
}

/** A deep copy without `span`/`calleeSpan` keys. */
export function strip<T>(node: T): T {
  return JSON.parse(
    JSON.stringify(node, (k, v) => (k === 'span' || k === 'calleeSpan' ? undefined : typeof v === 'bigint' ? `${v}n` : v)),
    (_k, v) => (typeof v === 'string' && /^-?[0-9]+n$/.test(v) ? BigInt(v.slice(0, -1)) : v),
  ) as T;
}

/** The statements of the first probe's body. */
export function body(src: string): A.Stmt[] {
  const item = parseOne(src).items[0]!;
  if (item.kind !== 'Probe') throw new Error(`expected a probe, got ${item.kind}`);
  return item.body.statements;
}

/** Parses `src` as an expression (through `_ = src;`). */
export function expr(src: string): A.Expr {
  const s = body(`begin { _ = ${src}; }`)[0]!;
  if (s.kind !== 'Discard') throw new Error('expected a discard');
  return s.expr;
}

/** The S-expression of an expression. */
export function sx(src: string): string {
  return show(expr(src));
}

/** The S-expression of the first probe's statements, joined by `; `. */
export function sxBody(src: string): string {
  return body(src).map(show).join('; ');
}

/** The formatted diagnostic of a failing parse (`null` when it parses). */
export function diag(src: string, file = 'stdin'): string | null {
  try {
    parseOne(src, file);
    return null;
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return e.diagnostics.map((d) => formatDiagnostic(d, new Map([[file, src]]))).join('');
  }
}

/** Just the message of a failing parse. */
export function message(src: string): string | null {
  try {
    parseOne(src);
    return null;
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return e.diagnostics[0]!.message;
  }
}

const list = (head: string, ...xs: (string | undefined)[]): string =>
  `(${[head, ...xs.filter((x): x is string => x !== undefined)].join(' ')})`;

/** Renders any AST node compactly, e.g. `(+ 1 (* 2 3))`. */
export function show(n: A.Node | A.MacroParam | undefined): string {
  if (n === undefined) return '_';
  switch (n.kind) {
    case 'Program':
      return n.items.map(show).join('\n');
    case 'PreprocessorLine':
      return list('#', JSON.stringify(n.text));
    case 'CDefinition':
      return list('cdef', n.keyword, n.name ?? '_', JSON.stringify(n.text));
    case 'ConfigBlock':
      return list('config', ...n.entries.map(show));
    case 'ConfigEntry':
      return list(n.key, show(n.value));
    case 'Import':
      return list('import', JSON.stringify(n.path));
    case 'Probe':
      return list('probe', `[${n.attachPoints.map((a) => a.raw).join(' ')}]`, n.predicate && list('pred', show(n.predicate)), show(n.body));
    case 'MacroDef':
      return list('macro', n.name, `[${n.params.map(show).join(' ')}]`, show(n.body));
    case 'ExprParam':
    case 'VarParam':
    case 'MapParam':
      return n.name;
    case 'MapDecl':
      return list('let', n.map.name, n.mapType, ...n.args.map(show));
    case 'FnDef':
      return list('fn', n.name, `[${n.params.map((p) => `${p.name}:${show(p.type)}`).join(' ')}]`, show(n.returnType), show(n.body));
    case 'ExprStmt':
      return show(n.expr);
    case 'Assign':
      return list(n.op, show(n.target), show(n.value));
    case 'LetDecl':
      return list('let', n.variable.name, n.type && `:${show(n.type)}`, n.value && show(n.value));
    case 'If':
      return list(n.comptime ? 'if-comptime' : 'if', show(n.cond), show(n.then), n.else && show(n.else));
    case 'While':
      return list('while', show(n.cond), show(n.body));
    case 'Unroll':
      return list('unroll', show(n.count), show(n.body));
    case 'For':
      return list('for', n.variable.name, show(n.iterable), show(n.body));
    case 'Range':
      return list('range', show(n.from), show(n.to));
    case 'Break':
      return 'break';
    case 'Continue':
      return 'continue';
    case 'Return':
      return list('return', n.value && show(n.value));
    case 'Block':
      return `{${n.statements.map(show).join('; ')}}`;
    case 'Discard':
      return list('discard', show(n.expr));
    case 'Integer':
      return n.value.toString();
    case 'String':
      return JSON.stringify(n.value);
    case 'Bool':
      return String(n.value);
    case 'Variable':
    case 'MapRef':
    case 'Identifier':
      return n.name;
    case 'PositionalParam':
      return `$${n.index}`;
    case 'ParamCount':
      return '$#';
    case 'MapAccess':
      return list('[]', n.map.name, ...n.keys.map(show));
    case 'Call':
      return list('call', n.callee, ...n.args.map(show));
    case 'TypeArg':
      return list('type', show(n.type));
    case 'Binary':
      return list(n.op, show(n.left), show(n.right));
    case 'Unary':
      return list(`u${n.op}`, show(n.operand));
    case 'Update':
      return list(n.prefix ? `pre${n.op}` : `post${n.op}`, show(n.target));
    case 'Ternary':
      return n.then ? list('?', show(n.cond), show(n.then), show(n.else)) : list('?:', show(n.cond), show(n.else));
    case 'FieldAccess':
      return list(n.arrow ? '->' : '.', show(n.object), n.field);
    case 'TupleIndex':
      return list('.N', show(n.object), String(n.index));
    case 'Index':
      return list('index', show(n.object), show(n.index));
    case 'Cast':
      return list('cast', show(n.type), show(n.expr));
    case 'Tuple':
      return list('tuple', ...n.elements.map(show));
    case 'Record':
      return list('record', ...n.fields.map((f) => `${f.name}=${show(f.value)}`));
    case 'BlockExpr':
      return `{${[...n.statements.map(show), ...(n.value ? [`=> ${show(n.value)}`] : [])].join('; ')}}`;
    case 'IfExpr':
      return list(n.comptime ? 'ifexpr-comptime' : 'ifexpr', show(n.cond), show(n.then), show(n.else));
    case 'Sizeof':
      return list('sizeof', show(n.target));
    case 'Offsetof':
      return list('offsetof', show(n.target), n.path.join('.'));
    case 'Typeinfo':
      return list('typeinfo', show(n.target));
    case 'Comptime':
      return list('comptime', show(n.expr));
    case 'NamedType':
      return n.size !== undefined ? `${n.name}[${n.size}]` : n.name.replace(' ', ':');
    case 'PointerType':
      return list('ptr', show(n.pointee));
    case 'ArrayType':
      return list('array', show(n.element), n.length === undefined ? undefined : String(n.length));
    case 'TypeofType':
      return list('typeof', show(n.target));
  }
}
