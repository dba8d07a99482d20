// AST construction for the grammar's postprocessors (grammar.ne), plus the few
// `reject` checks that keep the grammar unambiguous. Nodes are never mutated
// after creation: nearley shares them between derivations.
import { errorAt } from '../diagnostics/index.ts';
import type * as A from './ast.ts';
import type { Token } from './lexer.ts';
import { lastOf, parenSpans, span } from './node-spans.ts';
import { chainOf, chainWith, foldChain, seqItems, type BinaryChain, type Seq } from './sequences.ts';

export { span } from './node-spans.ts';
export { seqAppend, seqList as list } from './sequences.ts';
export { namedType, suffixes, taggedType, type, typeofType } from './build-types.ts';
// ---------------------------------------------------------------- top level

/** The program's items as parsed; the root completes after every item, so parser.ts makes the array once, at the end. */
export interface ProgramBody {
  items: Seq<A.TopLevel> | null;
}

export function program(d: unknown[]): ProgramBody {
  return { items: d[1] as Seq<A.TopLevel> | null };
}

export function preproc(d: unknown[]): A.PreprocessorLine {
  const t = d[0] as Token;
  return { kind: 'PreprocessorLine', span: span(t), text: t.text.replace(/\s+$/, '') };
}

export function cdef(d: unknown[]): A.CDefinition {
  const t = d[0] as Token;
  const keyword = /^(struct|union|enum|typedef)/.exec(t.text)![1] as A.CDefinition['keyword'];
  const node: A.CDefinition = { kind: 'CDefinition', span: span(t), keyword, text: t.text };
  if (t.cname !== undefined) node.name = t.cname;
  return node;
}

export function config(d: unknown[]): A.ConfigBlock {
  return { kind: 'ConfigBlock', span: span(d[0] as Token, d[4] as Token), entries: seqItems(d[3] as Seq<A.ConfigEntry> | null) };
}

export function configEntry(d: unknown[]): A.ConfigEntry {
  const key = d[0] as Token;
  const value = d[2] as A.Expr;
  return { kind: 'ConfigEntry', span: span(key, value), key: key.text, value };
}

export function configValue(d: unknown[]): A.Expr {
  const t = d[0] as Token;
  switch (t.type) {
    case 'int':
      return integer([t]);
    case 'string':
      return stringLit([t]);
    case 'kw':
      return { kind: 'Bool', span: span(t), value: t.text === 'true' };
    default:
      return { kind: 'Identifier', span: span(t), name: t.text };
  }
}

export function importItem(d: unknown[]): A.Import {
  const path = d[1] as Token;
  return { kind: 'Import', span: span(d[0] as Token, path), path: path.str ?? '' };
}

export function probe(d: unknown[]): A.Probe {
  const aps = seqItems(d[0] as Seq<A.AttachPoint>);
  const pred = d[2] as A.Expr | null;
  const body = d[3] as A.Block;
  const node: A.Probe = { kind: 'Probe', span: span(aps[0]!, body), attachPoints: aps, body };
  if (pred) node.predicate = pred;
  return node;
}

export function attachPoint(d: unknown[]): A.AttachPoint {
  const t = d[0] as Token;
  return { kind: 'AttachPoint', span: span(t), raw: t.text };
}

export function macroDef(d: unknown[]): A.MacroDef {
  const name = d[1] as Token;
  const body = d[5] as A.BlockExpr;
  return { kind: 'MacroDef', span: span(d[0] as Token, body), name: name.text, params: seqItems(d[3] as Seq<A.MacroParam> | null), body };
}

export function macroParam(d: unknown[]): A.MacroParam {
  const t = d[0] as Token;
  const kind = t.type === 'variable' ? 'VarParam' : t.type === 'map' ? 'MapParam' : 'ExprParam';
  return { kind, name: t.text, span: span(t) };
}

export function mapDecl(d: unknown[]): A.MapDecl {
  const map = mapRef([d[1] as Token]);
  return { kind: 'MapDecl', span: span(d[0] as Token, d[7] as Token), map, mapType: (d[3] as Token).text, args: seqItems(d[5] as Seq<A.Expr> | null) };
}

export function fnDef(d: unknown[]): A.FnDef {
  const body = d[7] as A.Block;
  return {
    kind: 'FnDef',
    span: span(d[0] as Token, body),
    name: (d[1] as Token).text,
    params: seqItems(d[3] as Seq<A.FnDef['params'][number]> | null),
    returnType: d[6] as A.TypeExpr,
    body,
  };
}

export function fnParam(d: unknown[]): A.FnDef['params'][number] {
  const v = d[0] as Token;
  const type = d[2] as A.TypeExpr;
  return { name: v.text, type, span: span(v, type) };
}

// ---------------------------------------------------------------- lists

/** An empty list (`list` and `seqAppend` make the others: sequences.ts). */
export function empty(): null {
  return null;
}

// ---------------------------------------------------------------- blocks and statements

/**
 * Statements so far in a block (a cons list, materialised by `block`/`blockExpr`).
 * `bare` is the last statement when it is a block statement with no `;` after it.
 */
export interface StmtSeq {
  prev: StmtSeq | null;
  stmt: A.Stmt | null;
  bare: boolean;
}

const EMPTY_SEQ: StmtSeq = { prev: null, stmt: null, bare: false };

export function seqEmpty(): StmtSeq {
  return EMPTY_SEQ;
}

/** `Stmts SimpleStmt ;`, `Stmts BlockStmt`, `Stmts BlockStmt ;` */
export function seqPush(d: unknown[]): StmtSeq {
  const bare = d.length === 2; // a block statement without `;`
  return { prev: d[0] as StmtSeq, stmt: d[1] as A.Stmt, bare };
}

function seqArray(s: StmtSeq): A.Stmt[] {
  const out: A.Stmt[] = [];
  for (let p: StmtSeq | null = s; p && p.stmt; p = p.prev) out.push(p.stmt);
  return out.reverse();
}

/** `{ stmts }` or `{ stmts last }` as a statement block. */
export function block(d: unknown[]): A.Block {
  const statements = seqArray(d[1] as StmtSeq);
  if (d.length === 4) statements.push(d[2] as A.Stmt);
  return { kind: 'Block', span: span(d[0] as Token, lastOf(d)), statements };
}

/** True for an `if` whose else chain ends in a plain `else { }`, or a nested block. */
function valueLike(s: A.Stmt | null): boolean {
  if (!s) return false;
  if (s.kind === 'Block') return true;
  if (s.kind !== 'If') return false;
  let e: A.If['else'] = s.else;
  while (e && e.kind === 'If') e = e.else;
  return e !== undefined;
}

/** `{ stmts }` as an expression: a trailing bare if-else or block must be the value instead. */
export function blockExprNoValue(d: unknown[], _l?: number, reject?: unknown): A.BlockExpr | unknown {
  const seq = d[1] as StmtSeq;
  if (seq.bare && valueLike(seq.stmt)) return reject;
  return { kind: 'BlockExpr', span: span(d[0] as Token, d[2] as Token), statements: seqArray(seq) };
}

/** `{ stmts expr }`: after a bare if-else/block, an expression starting with `- * &` continues that expression instead. */
export function blockExprValue(d: unknown[], _l?: number, reject?: unknown): A.BlockExpr | unknown {
  const seq = d[1] as StmtSeq;
  const value = d[2] as A.Expr;
  if (seq.bare && valueLike(seq.stmt) && ['-', '*', '&'].includes(leftmost(value))) return reject;
  return { kind: 'BlockExpr', span: span(d[0] as Token, d[3] as Token), statements: seqArray(seq), value };
}

/** `{ stmts assignment }`: a block expression ending in a non-expression statement. */
export function blockExprStmt(d: unknown[]): A.BlockExpr {
  const statements = seqArray(d[1] as StmtSeq);
  statements.push(d[2] as A.Stmt);
  return { kind: 'BlockExpr', span: span(d[0] as Token, d[3] as Token), statements };
}

/** The first token of an expression, as far as the statement rules care (a loop: chains can be long). */
function leftmost(expr: A.Expr): string {
  for (let e = expr; ;) {
    if (parenSpans.has(e)) return '(';
    switch (e.kind) {
      case 'Binary':
        e = e.left;
        break;
      case 'Ternary':
        e = e.cond;
        break;
      case 'FieldAccess':
      case 'TupleIndex':
      case 'Index':
        e = e.object;
        break;
      case 'Update':
        if (e.prefix) return e.op;
        e = e.target;
        break;
      case 'Unary':
        return e.op;
      case 'Cast':
        return '(';
      case 'IfExpr':
        return 'if';
      case 'BlockExpr':
        return '{';
      case 'Comptime':
        return 'comptime';
      default:
        return '';
    }
  }
}

/** An expression statement may not start with `if` or `{` (those are block statements). */
export function exprStmt(d: unknown[], _l?: number, reject?: unknown): A.ExprStmt | unknown {
  const expr = d[0] as A.Expr;
  const first = leftmost(expr);
  if (first === 'if' || first === '{') return reject;
  return { kind: 'ExprStmt', span: span(expr), expr };
}

export function assign(d: unknown[]): A.Assign {
  const target = d[0] as A.Assign['target'];
  const op = (d[1] as Token).text as A.AssignOp;
  const value = d[2] as A.Expr;
  return { kind: 'Assign', span: span(target, value), target, op, value };
}

export function letDecl(d: unknown[]): A.LetDecl {
  const v = d[1] as Token;
  const type = d[2] as [Token, A.TypeExpr] | null;
  const init = d[3] as [Token, A.Expr] | null;
  const node: A.LetDecl = { kind: 'LetDecl', span: span(d[0] as Token, lastOf(d)), variable: variable([v]) };
  if (type) node.type = type[1];
  if (init) node.value = init[1];
  return node;
}

export function jump(d: unknown[]): A.Break | A.Continue | A.Return {
  const t = d[0] as Token;
  const value = (d[1] ?? null) as A.Expr | null;
  if (t.text === 'break') return { kind: 'Break', span: span(t) };
  if (t.text === 'continue') return { kind: 'Continue', span: span(t) };
  const node: A.Return = { kind: 'Return', span: span(t, value ?? t) };
  if (value) node.value = value;
  return node;
}

export function discard(d: unknown[]): A.Discard {
  const expr = d[2] as A.Expr;
  return { kind: 'Discard', span: span(d[0] as Token, expr), expr };
}

export function ifStmt(d: unknown[]): A.If {
  const comptime = d[1] !== null;
  const cond = d[2] as A.Expr;
  const then = d[3] as A.Block;
  const els = d[4] as [Token, A.Block | A.If] | null;
  const node: A.If = { kind: 'If', span: span(d[0] as Token, els ? els[1] : then), comptime, cond, then };
  if (els) node.else = els[1];
  return node;
}

export function ifExpr(d: unknown[]): A.IfExpr {
  const els = d[5] as A.BlockExpr | A.IfExpr;
  return {
    kind: 'IfExpr',
    span: span(d[0] as Token, els),
    comptime: d[1] !== null,
    cond: d[2] as A.Expr,
    then: d[3] as A.BlockExpr,
    else: els,
  };
}

export function whileStmt(d: unknown[]): A.While {
  const body = d[2] as A.Block;
  return { kind: 'While', span: span(d[0] as Token, body), cond: d[1] as A.Expr, body };
}

export function unroll(d: unknown[]): A.Unroll {
  const body = d[2] as A.Block;
  return { kind: 'Unroll', span: span(d[0] as Token, body), count: d[1] as A.Expr, body };
}

/** `for ($v : it) {}` (7 symbols with parens) or `for $v : it {}` (5). */
export function forStmt(d: unknown[]): A.For {
  const paren = d.length === 7;
  const v = d[paren ? 2 : 1] as Token;
  const iterable = d[paren ? 4 : 3] as A.MapRef | A.Range;
  const body = d[paren ? 6 : 4] as A.Block;
  return { kind: 'For', span: span(d[0] as Token, body), variable: variable([v]), iterable, body };
}

export function range(d: unknown[]): A.Range {
  const from = d[0] as A.Expr;
  const to = d[2] as A.Expr;
  return { kind: 'Range', span: span(from, to), from, to };
}

// ---------------------------------------------------------------- expressions

/** A single-token operand: integer, string, bool, variable, `$N`, `$#`. */
export function atom(d: unknown[]): A.Expr {
  const t = d[0] as Token;
  switch (t.type) {
    case 'int':
      return integer(d);
    case 'string':
      return stringLit(d);
    case 'variable':
      return variable(d);
    case 'param':
      return param(d);
    case 'paramcount':
      return paramCount(d);
    default:
      return bool(d);
  }
}

export function integer(d: unknown[]): A.Integer {
  const t = d[0] as Token;
  return { kind: 'Integer', span: span(t), value: t.int ?? 0n, text: t.text };
}

export function stringLit(d: unknown[]): A.StringLit {
  const t = d[0] as Token;
  return { kind: 'String', span: span(t), value: t.str ?? '' };
}

export function bool(d: unknown[]): A.Bool {
  const t = d[0] as Token;
  return { kind: 'Bool', span: span(t), value: t.text === 'true' };
}

export function variable(d: unknown[]): A.Variable {
  const t = d[0] as Token;
  return { kind: 'Variable', span: span(t), name: t.text };
}

export function param(d: unknown[]): A.PositionalParam {
  const t = d[0] as Token;
  return { kind: 'PositionalParam', span: span(t), index: t.index ?? 0 };
}

export function paramCount(d: unknown[]): A.ParamCount {
  const t = d[0] as Token;
  return { kind: 'ParamCount', span: span(t) };
}

export function mapRef(d: unknown[]): A.MapRef {
  const t = d[0] as Token;
  return { kind: 'MapRef', span: span(t), name: t.text };
}

export function mapAccess(d: unknown[]): A.MapAccess {
  return { kind: 'MapAccess', span: span(d[0] as Token, d[3] as Token), map: mapRef([d[0] as Token]), keys: seqItems(d[2] as Seq<A.Expr>) };
}

export function identifier(d: unknown[]): A.Identifier {
  const t = d[0] as Token;
  return { kind: 'Identifier', span: span(t), name: t.text };
}

export function call(d: unknown[]): A.Call {
  const name = d[0] as Token;
  return { kind: 'Call', span: span(name, d[3] as Token), callee: name.text, calleeSpan: span(name), args: seqItems(d[2] as Seq<A.Call['args'][number]> | null) };
}

export function typeArg(d: unknown[]): A.TypeArg {
  const type = d[0] as A.TypeExpr;
  return { kind: 'TypeArg', span: span(type), type };
}

/** What follows `(`: the builder of the grouping, tuple or record, waiting for the `(` token. */
type ParenBuilder = (open: Token) => A.Expr;

/** `( ParenTail`: finish the node now that the `(` is known. */
export function paren(d: unknown[]): A.Expr {
  return (d[1] as ParenBuilder)(d[0] as Token);
}

/** `expr )`: the expression itself; the parentheses only widen its extent. */
export function group(d: unknown[]): ParenBuilder {
  const e = d[0] as A.Expr;
  const close = d[1] as Token;
  return (open) => {
    parenSpans.set(e, span(open, close));
    return e;
  };
}

/** `)`, `a, )`, `a, b )`, `a, b, )` after `(`. */
export function tuple(d: unknown[]): ParenBuilder {
  let elements: A.Expr[];
  if (d.length === 1) elements = [];
  else if (d.length === 3) elements = [d[0] as A.Expr];
  else elements = [d[0] as A.Expr, ...seqItems(d[2] as Seq<A.Expr>)];
  const close = lastOf(d);
  return (open) => ({ kind: 'Tuple', span: span(open, close), elements });
}

export function record(d: unknown[]): ParenBuilder {
  const fields = seqItems(d[0] as Seq<A.Record['fields'][number]>);
  const close = lastOf(d);
  return (open) => ({ kind: 'Record', span: span(open, close), fields });
}

export function recordField(d: unknown[]): A.Record['fields'][number] {
  const name = d[0] as Token;
  const value = d[2] as A.Expr;
  return { name: name.text, value, span: span(name, value) };
}

export function comptime(d: unknown[]): A.Comptime {
  const expr = d[1] as A.Expr;
  return { kind: 'Comptime', span: span(d[0] as Token, expr), expr };
}

export function ternary(d: unknown[]): A.Ternary {
  const cond = d[0] as A.Expr;
  if (d.length === 4) {
    const els = d[3] as A.Expr;
    return { kind: 'Ternary', span: span(cond, els), cond, else: els };
  }
  const els = d[4] as A.Expr;
  return { kind: 'Ternary', span: span(cond, els), cond, then: d[2] as A.Expr, else: els };
}

/** The binary tree of `a op b`. */
function binary(left: A.Expr, op: A.BinaryOp, right: A.Expr): A.Expr {
  return { kind: 'Binary', span: span(left, right), op, left, right };
}

export function chainStart(d: unknown[]): BinaryChain {
  return chainOf(d[0] as A.Expr);
}

export function chainPush(d: unknown[]): BinaryChain {
  return chainWith(d[0] as BinaryChain, (d[1] as Token).text as A.BinaryOp, d[2] as A.Expr, binary);
}

/** The expression of a chain, operators folded by precedence (sequences.ts). */
export function fold(d: unknown[]): A.Expr {
  return foldChain(d[0] as BinaryChain, binary);
}

export function unary(d: unknown[]): A.Unary {
  const op = d[0] as Token;
  const operand = d[1] as A.Expr;
  return { kind: 'Unary', span: span(op, operand), op: op.text as A.Unary['op'], operand };
}

/** `++`/`--` apply to a variable, a map or a map entry (parentheses allowed, as upstream). */
function updateTarget(e: A.Expr): e is A.Update['target'] {
  return e.kind === 'Variable' || e.kind === 'MapRef' || e.kind === 'MapAccess';
}

const UPDATE_TARGET_MSG = 'increment/decrement requires a variable or map';

/** `++x`: any other operand is an error (a `++` here can only be a prefix). */
export function preUpdate(d: unknown[]): A.Update {
  const op = d[0] as Token;
  const target = d[1] as A.Expr;
  if (!updateTarget(target)) throw errorAt(span(target), UPDATE_TARGET_MSG);
  return { kind: 'Update', span: span(op, target), op: op.text as A.Update['op'], prefix: true, target };
}

/**
 * `x++`. After an if-else or a block the `++` may instead begin the next
 * operand (`{ if c {} else {} ++$x }`), so those are rejected quietly; any
 * other operand is an error.
 */
export function postUpdate(d: unknown[], _l?: number, reject?: unknown): A.Update | unknown {
  const target = d[0] as A.Expr;
  const op = d[1] as Token;
  if (!updateTarget(target)) {
    if ((target.kind === 'IfExpr' || target.kind === 'BlockExpr') && !parenSpans.has(target)) return reject;
    throw errorAt(span(op), UPDATE_TARGET_MSG);
  }
  return { kind: 'Update', span: span(target, op), op: op.text as A.Update['op'], prefix: false, target };
}

export function cast(d: unknown[]): A.Cast {
  const expr = d[3] as A.Expr;
  return { kind: 'Cast', span: span(d[0] as Token, expr), type: d[1] as A.TypeExpr, expr };
}

export function field(d: unknown[]): A.FieldAccess {
  const object = d[0] as A.Expr;
  const name = d[2] as Token;
  return { kind: 'FieldAccess', span: span(object, name), object, field: name.text, arrow: (d[1] as Token).text === '->' };
}

export function tupleIndex(d: unknown[]): A.TupleIndex {
  const object = d[0] as A.Expr;
  const t = d[2] as Token;
  if (!/^[0-9]+$/.test(t.text)) throw errorAt(span(t), `invalid tuple index '${t.text}'`);
  return { kind: 'TupleIndex', span: span(object, t), object, index: Number(t.text) };
}

/** `a[i]`; a bare map followed by `[` is a MapAccess, never an Index. */
export function index(d: unknown[], _l?: number, reject?: unknown): A.Index | unknown {
  const object = d[0] as A.Expr;
  if (object.kind === 'MapRef' && !parenSpans.has(object)) return reject;
  return { kind: 'Index', span: span(object, d[3] as Token), object, index: d[2] as A.Expr };
}

export function sizeofExpr(d: unknown[]): A.Sizeof {
  return { kind: 'Sizeof', span: span(d[0] as Token, d[3] as Token), target: d[2] as A.TypeExpr | A.Expr };
}

export function typeinfo(d: unknown[]): A.Typeinfo {
  return { kind: 'Typeinfo', span: span(d[0] as Token, d[3] as Token), target: d[2] as A.TypeExpr | A.Expr };
}

export function offsetof(d: unknown[]): A.Offsetof {
  return {
    kind: 'Offsetof',
    span: span(d[0] as Token, d[5] as Token),
    target: d[2] as A.TypeExpr | A.Expr,
    path: seqItems(d[4] as Seq<Token>).map((t) => t.text),
  };
}
