// Positional parameters where upstream reads them as text, before the type
// pass (which types a bare `$N`: an integer when its text spells one, else a
// string): attach points; `str($N)` is the text as given (`str($1)` of `0x10`
// is "0x10"), a string literal, so `kaddr(str($1))` sees a literal;
// `str($N + k)`, and `$N + k` where $N is text, drop the text's first k
// characters (`str($1 + 1)` of `hello` is "ello").
import type * as A from '../../syntax/ast.ts';
import type { Diagnostic } from '../../diagnostics/index.ts';
import { AstRewriter } from '../macros/index.ts';
import { substituteAttachPoint } from './attach-points.ts';
import { positionalInteger } from './values.ts';

export interface PositionalResult {
  program: A.Program;
  warnings: Diagnostic[];
}

export function substitutePositional(program: A.Program, positional: readonly string[]): PositionalResult {
  const rewriter = new PositionalRewriter(positional);
  return { program: rewriter.program(program), warnings: rewriter.warnings };
}

class PositionalRewriter extends AstRewriter {
  readonly warnings: Diagnostic[] = [];

  constructor(private readonly positional: readonly string[]) {
    super();
  }

  override topLevel(item: A.TopLevel): A.TopLevel {
    const copy = super.topLevel(item);
    if (copy.kind !== 'Probe') return copy;
    return { ...copy, attachPoints: copy.attachPoints.map((ap) => ({ ...ap, raw: substituteAttachPoint(ap.raw, this.positional, ap.span) })) };
  }

  override expr(e: A.Expr): A.Expr {
    if (e.kind === 'Call' && e.callee === 'str') return this.str(e);
    if (e.kind === 'Binary' && e.op === '+') {
      const [param, other] = e.left.kind === 'PositionalParam' ? [e.left, e.right] : [e.right, e.left];
      if (param.kind === 'PositionalParam' && positionalInteger(this.text(param)) === undefined) return this.offset(e, this.stringOf(param), other);
    }
    return super.expr(e);
  }

  private text(p: A.PositionalParam): string {
    return this.positional[p.index - 1] ?? '';
  }

  /** A parameter as a string literal: its UTF-8 bytes (string literals hold bytes as chars 0-255). */
  private stringOf(p: A.PositionalParam): A.StringLit {
    return { kind: 'String', span: p.span, value: Buffer.from(this.text(p), 'utf8').toString('latin1') };
  }

  /** `str($N)` and `str($N + k)` read the parameter as text; `str("literal")` is the literal. */
  private str(call: A.Call): A.Expr {
    const [first, ...rest] = call.args;
    let arg: A.Expr | A.TypeArg | undefined;
    if (first?.kind === 'PositionalParam') arg = this.stringOf(first);
    else if (first?.kind === 'Binary' && first.op === '+' && first.left.kind === 'PositionalParam') arg = this.offset(first, this.stringOf(first.left), first.right);
    else if (first) arg = this.arg(first);
    const args = [...(arg ? [arg] : []), ...rest.map((a) => this.arg(a))];
    if (args.length === 1 && args[0]!.kind === 'String') return { ...args[0]!, span: this.span(call.span) };
    return { kind: 'Call', span: this.span(call.span), callee: call.callee, calleeSpan: this.span(call.calleeSpan), args };
  }

  /**
   * A parameter's text plus an integer is the text from that character on,
   * as upstream folds a string literal plus an integer; any other operand
   * is left to the type pass (a string plus a run-time value is refused there).
   */
  private offset(e: A.Binary, text: A.StringLit, operand: A.Expr): A.Expr {
    const k = this.expr(operand);
    if (k.kind !== 'Integer') return { kind: 'Binary', span: this.span(e.span), op: e.op, left: e.left === operand ? k : text, right: e.left === operand ? text : k };
    if (k.value >= BigInt(text.value.length)) {
      this.warnings.push({ severity: 'WARNING', message: 'literal string will always be empty', span: e.span });
      return { kind: 'String', span: e.span, value: '' };
    }
    return { kind: 'String', span: e.span, value: text.value.slice(Number(k.value)) };
  }
}
