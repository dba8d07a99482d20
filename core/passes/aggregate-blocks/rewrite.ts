// `@m[k] = { stmts; count() }`: a block expression whose value is a map
// aggregation, assigned to a map, is the block's statements followed by the
// aggregation assigned directly (`{ stmts; @m[k] = count(); }`), as upstream
// accepts it; the block's variables stay in its scope.
import type * as A from '../../syntax/ast.ts';
import { AstRewriter } from '../macros/index.ts';

export function hoistAggregateBlocks(program: A.Program, isAggregate: (callee: string) => boolean): A.Program {
  return new AggregateBlockRewriter(isAggregate).program(program);
}

class AggregateBlockRewriter extends AstRewriter {
  constructor(private readonly isAggregate: (callee: string) => boolean) {
    super();
  }

  override stmt(s: A.Stmt): A.Stmt {
    if (s.kind !== 'Assign' || s.op !== '=' || s.target.kind === 'Variable' || s.value.kind !== 'BlockExpr') return super.stmt(s);
    const { statements, value } = s.value;
    if (value?.kind !== 'Call' || !this.isAggregate(value.callee)) return super.stmt(s);
    const assign: A.Assign = { kind: 'Assign', span: this.span(s.span), target: this.assignTarget(s.target), op: '=', value: this.expr(value) };
    return { kind: 'Block', span: this.span(s.value.span), statements: [...this.statements(statements), assign] };
  }
}
