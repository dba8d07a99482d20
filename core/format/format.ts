// The canonical formatter (`--fmt`): AST -> bpftrace text that parses back to
// the same AST. Style: two-space indentation; `probe {` on one line (several
// attach points one per line, then the predicate and `{`); spaces around
// binary and assignment operators and after commas; parentheses only where
// precedence or the parser's rules need them; parenthesized `if`, `while`,
// `unroll` and `for` heads; every simple statement ends with `;`. Comments and
// single blank lines between statements are kept (comments move to the
// nearest statement or item boundary). Lines are never wrapped.
import type * as A from '../syntax/ast.ts';
import { BINARY_PRECEDENCE, MAX_BINARY_PRECEDENCE, TYPE_NAMES } from '../syntax/index.ts';
import { findComments, lineStarts, type SourceComment } from './comments.ts';

const INDENT = '  ';

// Binding strength, loosest first: comptime < ternary < binary levels (the
// parser's table, above the ternary) < unary < postfix < primary.
const COMPTIME = 0;
const TERNARY = 1;
const UNARY = TERNARY + MAX_BINARY_PRECEDENCE + 1;
const POSTFIX = UNARY + 1;
const PRIMARY = POSTFIX + 1;

function binary(op: A.BinaryOp): number {
  return TERNARY + BINARY_PRECEDENCE[op];
}

function precedence(e: A.Expr): number {
  switch (e.kind) {
    case 'Comptime':
      return COMPTIME;
    case 'Ternary':
      return TERNARY;
    case 'Binary':
      return binary(e.op);
    case 'Unary':
    case 'Cast':
      return UNARY;
    case 'Update':
      return e.prefix ? UNARY : POSTFIX;
    case 'FieldAccess':
    case 'TupleIndex':
    case 'Index':
      return POSTFIX;
    default:
      return PRIMARY;
  }
}

/** A string literal's source form: escapes for quotes, backslashes and control bytes; UTF-8 text kept. */
export function quoteString(value: string): string {
  // The value holds bytes (one char each); show valid UTF-8 as text again.
  const bytes = Buffer.from(value, 'latin1');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = value;
  }
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f || (text === value && code >= 0x80)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

const builtinTypeNames = new Set<string>(TYPE_NAMES);

/** Whether `(T)-x` would read as a subtraction: a plain name not ending in `_t` (see the cast rule in docs/syntax.md). */
function castNeedsGroupedOperand(t: A.TypeExpr): boolean {
  return t.kind === 'NamedType' && t.size === undefined && !builtinTypeNames.has(t.name) && !/^(struct|union|enum) /.test(t.name) && !t.name.endsWith('_t');
}

export function formatType(t: A.TypeExpr): string {
  switch (t.kind) {
    case 'NamedType':
      return t.size === undefined ? t.name : `${t.name}[${t.size}]`;
    case 'PointerType': {
      const inner = formatType(t.pointee);
      return inner.endsWith('*') ? `${inner}*` : `${inner} *`;
    }
    case 'ArrayType':
      return `${formatType(t.element)}[${t.length ?? ''}]`;
    case 'TypeofType':
      return `typeof(${typeOrExpr(t.target, '')})`;
  }
}

function isTypeNode(n: A.TypeExpr | A.Expr | A.TypeArg): n is A.TypeExpr {
  return n.kind === 'NamedType' || n.kind === 'PointerType' || n.kind === 'ArrayType' || n.kind === 'TypeofType';
}

function typeOrExpr(n: A.TypeExpr | A.Expr, ind: string, p?: Printer): string {
  if (isTypeNode(n)) return formatType(n);
  return (p ?? new Printer()).expr(n, ind);
}

/** Formats one expression on its own (no comments), e.g. for messages and debug output. */
export function formatExpr(e: A.Expr): string {
  return new Printer().expr(e, '');
}

/** Formats a whole program; pass the source text to keep its comments, shebang and blank lines. */
export function formatProgram(program: A.Program, source?: string): string {
  return new Printer(source).program(program);
}

class Printer {
  private lines: string[] = [];
  private readonly comments: SourceComment[];
  private next = 0;
  private readonly starts: number[];
  /** Source line of what was emitted last (statement, comment, `{`). */
  private lastLine = 0;
  /** No blank line before the first thing in a block. */
  private atBlockStart = true;

  constructor(private readonly source?: string) {
    this.starts = source ? lineStarts(source) : [0];
    this.comments = [];
  }

  private offset(s: { line: number; col: number }): number {
    return (this.starts[s.line - 1] ?? 0) + s.col - 1;
  }

  private endOffset(s: A.NodeBase['span']): number {
    return (this.starts[s.endLine - 1] ?? 0) + s.endCol - 1;
  }

  program(program: A.Program): string {
    if (this.source) {
      const skip = program.items
        .filter((i) => i.kind === 'PreprocessorLine' || i.kind === 'CDefinition')
        .map((i): [number, number] => [this.offset(i.span), this.endOffset(i.span)]);
      this.comments.push(...findComments(this.source, skip));
    }
    const shebang = this.source?.startsWith('#!') ? this.source.slice(0, this.source.indexOf('\n') >>> 0).replace(/\s+$/, '') : undefined;
    if (shebang) {
      this.lines.push(shebang);
      this.lastLine = 1;
      this.atBlockStart = false;
    }
    let prev: A.TopLevel | undefined;
    for (const item of program.items) {
      this.flushComments(this.offset(item.span), '');
      const spaced = (k: A.TopLevel['kind']) => k === 'Probe' || k === 'MacroDef' || k === 'FnDef' || k === 'ConfigBlock';
      if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') {
        if (item.span.line > this.lastLine + 1 || (prev && (spaced(prev.kind) || spaced(item.kind)))) this.lines.push('');
      }
      this.topLevel(item);
      this.lastLine = item.span.endLine;
      this.atBlockStart = false;
      prev = item;
    }
    this.flushComments(Infinity, '');
    return this.lines.join('\n') + (this.lines.length ? '\n' : '');
  }

  /** Emits the comments that start before `offset`, at indentation `ind`. */
  private flushComments(offset: number, ind: string): void {
    while (this.next < this.comments.length && this.comments[this.next]!.start < offset) {
      const c = this.comments[this.next++]!;
      const last = this.lines.length - 1;
      if (!c.ownLine && last >= 0 && c.line === this.lastLine && this.lines[last] !== '') {
        this.lines[last] += ` ${c.text}`;
      } else {
        if (!this.atBlockStart && c.line > this.lastLine + 1 && last >= 0 && this.lines[last] !== '') this.lines.push('');
        // A block comment's later lines move with it when they were indented like its first.
        const [first, ...rest] = c.text.split('\n');
        const moved = rest.map((l) => (c.indent && l.startsWith(c.indent) ? ind + l.slice(c.indent.length) : l));
        this.lines.push(ind + first, ...moved);
      }
      this.lastLine = c.endLine;
      this.atBlockStart = false;
    }
  }

  /** Runs `fn` with a fresh line buffer and returns what it printed (for blocks inside expressions). */
  private capture(fn: () => void): string[] {
    const saved = this.lines;
    this.lines = [];
    try {
      fn();
      return this.lines;
    } finally {
      this.lines = saved;
    }
  }

  private push(ind: string, text: string): void {
    this.lines.push(ind + text);
  }

  // ---------------------------------------------------------------- top level

  private topLevel(item: A.TopLevel): void {
    switch (item.kind) {
      case 'PreprocessorLine':
      case 'CDefinition':
        this.lines.push(...item.text.split('\n'));
        return;
      case 'ConfigBlock': {
        if (item.entries.length === 0) {
          this.push('', 'config = {}');
          return;
        }
        this.push('', 'config = {');
        this.openBlock(item.span.line);
        for (const e of item.entries) {
          this.slot(e.span, INDENT);
          this.push(INDENT, `${e.key} = ${this.expr(e.value, '')};`);
          this.lastLine = e.span.endLine;
        }
        this.closeBlock(item.span, '');
        return;
      }
      case 'Import':
        this.push('', `import ${quoteString(item.path)};`);
        return;
      case 'Probe':
        this.probe(item);
        return;
      case 'MacroDef': {
        const params = item.params.map((p) => p.name).join(', ');
        this.blockExprLines(`macro ${item.name}(${params}) `, item.body, '', true);
        return;
      }
      case 'MapDecl':
        this.push('', `let ${item.map.name} = ${item.mapType}(${item.args.map((a) => this.expr(a, '')).join(', ')});`);
        return;
      case 'FnDef': {
        const params = item.params.map((p) => `${p.name}: ${formatType(p.type)}`).join(', ');
        this.block(`fn ${item.name}(${params}): ${formatType(item.returnType)} `, item.body, '');
        return;
      }
    }
  }

  private probe(p: A.Probe): void {
    const pred = p.predicate ? `/${this.expr(p.predicate, '')}/ ` : '';
    if (p.attachPoints.length === 1) {
      this.block(`${p.attachPoints[0]!.raw} ${pred}`, p.body, '');
      return;
    }
    p.attachPoints.forEach((ap, i) => this.push('', ap.raw + (i < p.attachPoints.length - 1 ? ',' : '')));
    this.block(pred, p.body, '');
  }

  // ---------------------------------------------------------------- blocks and statements

  private openBlock(line: number): void {
    this.lastLine = line;
    this.atBlockStart = true;
  }

  private closeBlock(span: A.NodeBase['span'], ind: string): void {
    this.flushComments(this.endOffset(span), ind + INDENT);
    this.push(ind, '}');
    this.lastLine = span.endLine;
    this.atBlockStart = false;
  }

  /** Comments before a statement or entry, and a blank line where the source had one. */
  private slot(span: A.NodeBase['span'], ind: string): void {
    this.flushComments(this.offset(span), ind);
    const last = this.lines.length - 1;
    if (!this.atBlockStart && span.line > this.lastLine + 1 && last >= 0 && this.lines[last] !== '') this.lines.push('');
    this.atBlockStart = false;
  }

  /** `head{` + statements + `}` at indentation `ind`; the head's line is the last line printed. */
  private block(head: string, b: A.Block, ind: string): void {
    if (b.statements.length === 0 && !this.hasCommentsIn(b.span)) {
      this.push(ind, `${head}{}`);
      this.lastLine = b.span.endLine;
      return;
    }
    this.push(ind, `${head}{`);
    this.openBlock(b.span.line);
    for (const s of b.statements) this.stmt(s, ind + INDENT, false);
    this.closeBlock(b.span, ind);
  }

  private hasCommentsIn(span: A.NodeBase['span']): boolean {
    const end = this.endOffset(span);
    return this.next < this.comments.length && this.comments[this.next]!.start < end;
  }

  /** A block expression as lines: `head{`, statements, the value, `}`. */
  private blockExprLines(head: string, b: A.BlockExpr, ind: string, multiline: boolean): void {
    if (!multiline && b.statements.length === 0 && b.value && !this.hasCommentsIn(b.span)) {
      this.push(ind, `${head}{ ${this.expr(b.value, ind)} }`);
      this.lastLine = b.span.endLine;
      return;
    }
    this.push(ind, `${head}{`);
    this.openBlock(b.span.line);
    b.statements.forEach((s, i) => this.stmt(s, ind + INDENT, i === b.statements.length - 1 && !b.value));
    if (b.value) {
      this.slot(b.value.span, ind + INDENT);
      this.push(ind + INDENT, this.expr(b.value, ind + INDENT));
      this.lastLine = b.value.span.endLine;
    }
    this.closeBlock(b.span, ind);
  }

  /** `lastOfValueless`: the last statement of a block expression without a value (an if-else or block there must keep a `;`). */
  private stmt(s: A.Stmt, ind: string, lastOfValueless: boolean): void {
    this.slot(s.span, ind);
    switch (s.kind) {
      case 'If':
        this.ifStmt(s, ind, '');
        if (lastOfValueless && s.else) this.lines[this.lines.length - 1] += ';';
        break;
      case 'While':
        this.block(`while (${this.expr(s.cond, ind)}) `, s.body, ind);
        break;
      case 'Unroll':
        this.block(`unroll (${this.expr(s.count, ind)}) `, s.body, ind);
        break;
      case 'For': {
        const it = s.iterable.kind === 'MapRef' ? s.iterable.name : `${this.operand(s.iterable.from, TERNARY, ind)}..${this.operand(s.iterable.to, TERNARY, ind)}`;
        this.block(`for (${s.variable.name} : ${it}) `, s.body, ind);
        break;
      }
      case 'Block':
        this.block('', s, ind);
        if (lastOfValueless) this.lines[this.lines.length - 1] += ';';
        break;
      default:
        this.push(ind, `${this.simpleStmt(s, ind)};`);
    }
    this.lastLine = s.span.endLine;
  }

  private ifStmt(s: A.If, ind: string, prefix: string): void {
    const head = `${prefix}if ${s.comptime ? 'comptime ' : ''}(${this.expr(s.cond, ind)}) `;
    if (!s.else) {
      this.block(head, s.then, ind);
      return;
    }
    this.block(head, s.then, ind);
    const closing = this.lines.pop()!;
    const joined = closing.slice(ind.length);
    if (s.else.kind === 'If') {
      this.ifStmt(s.else, ind, `${joined} else `);
    } else {
      this.block(`${joined} else `, s.else, ind);
    }
  }

  private simpleStmt(s: A.Stmt, ind: string): string {
    switch (s.kind) {
      case 'ExprStmt': {
        // An expression statement cannot start with `if` or `{` (those are the if statement and the block).
        const text = this.expr(s.expr, ind);
        return s.expr.kind === 'IfExpr' || s.expr.kind === 'BlockExpr' ? `(${text})` : text;
      }
      case 'Assign':
        return `${this.expr(s.target, ind)} ${s.op} ${this.expr(s.value, ind)}`;
      case 'LetDecl':
        return `let ${s.variable.name}${s.type ? `: ${formatType(s.type)}` : ''}${s.value ? ` = ${this.expr(s.value, ind)}` : ''}`;
      case 'Break':
        return 'break';
      case 'Continue':
        return 'continue';
      case 'Return':
        return s.value ? `return ${this.expr(s.value, ind)}` : 'return';
      case 'Discard':
        return `_ = ${this.expr(s.expr, ind)}`;
      case 'Import':
        return `import ${quoteString(s.path)}`;
      default:
        throw new Error(`not a simple statement: ${s.kind}`);
    }
  }

  // ---------------------------------------------------------------- expressions

  /** `e` where at least `min` binding strength is needed; grouped otherwise. */
  private operand(e: A.Expr, min: number, ind: string): string {
    const text = this.expr(e, ind);
    return precedence(e) < min ? `(${text})` : text;
  }

  /** A left operand: an if-expression or block there is grouped, so no statement or block value can start with it. */
  private leftOperand(e: A.Expr, min: number, ind: string): string {
    return e.kind === 'IfExpr' || e.kind === 'BlockExpr' ? `(${this.expr(e, ind)})` : this.operand(e, min, ind);
  }

  expr(e: A.Expr, ind: string): string {
    switch (e.kind) {
      case 'Integer':
        return e.text;
      case 'String':
        return quoteString(e.value);
      case 'Bool':
        return String(e.value);
      case 'Variable':
      case 'MapRef':
      case 'Identifier':
        return e.name;
      case 'PositionalParam':
        return `$${e.index}`;
      case 'ParamCount':
        return '$#';
      case 'MapAccess':
        return `${e.map.name}[${e.keys.map((k) => this.expr(k, ind)).join(', ')}]`;
      case 'Call':
        return `${e.callee}(${e.args.map((a) => (a.kind === 'TypeArg' ? formatType(a.type) : this.expr(a, ind))).join(', ')})`;
      case 'Binary': {
        const p = binary(e.op);
        return `${this.leftOperand(e.left, p, ind)} ${e.op} ${this.operand(e.right, p + 1, ind)}`;
      }
      case 'Unary': {
        // `- -x` would lex as `--x`, `& &x` as `&&x`: a nested prefix operator is grouped.
        const nested = e.operand.kind === 'Unary' || (e.operand.kind === 'Update' && e.operand.prefix);
        const inner = this.operand(e.operand, UNARY, ind);
        return `${e.op}${nested ? `(${inner})` : inner}`;
      }
      case 'Update':
        return e.prefix ? `${e.op}${this.operand(e.target, POSTFIX, ind)}` : `${this.leftOperand(e.target, POSTFIX, ind)}${e.op}`;
      case 'Ternary': {
        const cond = this.leftOperand(e.cond, TERNARY + 1, ind);
        if (!e.then) return `${cond} ?: ${this.expr(e.else, ind)}`;
        return `${cond} ? ${this.operand(e.then, TERNARY + 1, ind)} : ${this.expr(e.else, ind)}`;
      }
      case 'FieldAccess':
        return `${this.leftOperand(e.object, POSTFIX, ind)}${e.arrow ? '->' : '.'}${e.field}`;
      case 'TupleIndex':
        return `${this.leftOperand(e.object, POSTFIX, ind)}.${e.index}`;
      case 'Index':
        return `${this.leftOperand(e.object, POSTFIX, ind)}[${this.expr(e.index, ind)}]`;
      case 'Cast': {
        const inner = this.operand(e.expr, UNARY, ind);
        const grouped = castNeedsGroupedOperand(e.type) && (e.expr.kind === 'Unary' || (e.expr.kind === 'Update' && e.expr.prefix));
        return `(${formatType(e.type)})${grouped ? `(${inner})` : inner}`;
      }
      case 'Tuple':
        if (e.elements.length === 1) return `(${this.expr(e.elements[0]!, ind)},)`;
        return `(${e.elements.map((x) => this.expr(x, ind)).join(', ')})`;
      case 'Record':
        return `(${e.fields.map((f) => `${f.name} = ${this.expr(f.value, ind)}`).join(', ')})`;
      case 'BlockExpr':
        return this.capture(() => this.blockExprLines('', e, ind, false))
          .map((l, i) => (i === 0 ? l.slice(ind.length) : l))
          .join('\n');
      case 'IfExpr':
        return this.capture(() => this.ifExprLines(e, ind, '')).map((l, i) => (i === 0 ? l.slice(ind.length) : l)).join('\n');
      case 'Sizeof':
        return `sizeof(${typeOrExpr(e.target, ind, this)})`;
      case 'Offsetof':
        return `offsetof(${typeOrExpr(e.target, ind, this)}, ${e.path.join('.')})`;
      case 'Typeinfo':
        return `typeinfo(${typeOrExpr(e.target, ind, this)})`;
      case 'Comptime':
        return `comptime ${this.expr(e.expr, ind)}`;
    }
  }

  /** An if-expression; each branch inline (`{ 1 }`) when it is only a value, else as lines. */
  private ifExprLines(e: A.IfExpr, ind: string, prefix: string): void {
    const head = `${prefix}if ${e.comptime ? 'comptime ' : ''}(${this.expr(e.cond, ind)}) `;
    this.blockExprLines(head, e.then, ind, false);
    const joined = this.lines.pop()!.slice(ind.length);
    if (e.else.kind === 'IfExpr') this.ifExprLines(e.else, ind, `${joined} else `);
    else this.blockExprLines(`${joined} else `, e.else, ind, false);
  }
}
