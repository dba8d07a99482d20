// The type pass over one probe instance: its state (the tables codegen reads,
// variable scopes, loop depths) and the entry points the statement and
// expression handlers call back into.
import type * as A from '../../syntax/ast.ts';
import type { DiagnosticBag } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import type { CheckContext } from '../../../sdk/index.ts';
import type { ProbeInstance } from '../../probes/index.ts';
import { builtinCheckContext } from './check-context.ts';
import { condition } from './conditions.ts';
import { checkExpr } from './expressions.ts';
import { VariableScopes } from './scopes.ts';
import { checkStmt } from './statements.ts';
import type { CheckOptions, InstanceTypes, MapTypeInfo } from './typed-program.ts';

export class InstanceChecker {
  readonly result: InstanceTypes;
  readonly vars: VariableScopes;
  loopDepth = 0;
  mapLoopDepth = 0;
  /** Copies of the current statement unrolling makes (the product of the enclosing unroll counts). */
  unrollCopies = 1;

  constructor(
    readonly inst: ProbeInstance,
    readonly maps: Map<string, MapTypeInfo>,
    readonly opts: CheckOptions,
    /** The final round: every map read must be typed by now. */
    readonly strict: boolean,
    readonly warnings: DiagnosticBag,
    /** Variable types to start from (an earlier check's final ones). */
    startTypes?: ReadonlyMap<string, ValueType>,
  ) {
    this.result = {
      instance: inst,
      exprTypes: new Map(),
      varTypes: new Map(),
      varIds: new Map(),
      builtins: new Map(),
      context: new Map(),
      constants: new Map(),
      strings: new Map(),
      records: new Map(),
      comptimeBranches: new Map(),
      typeofs: new Map(),
      members: new Map(),
      pointerSteps: new Map(),
    };
    this.vars = new VariableScopes(this.result, startTypes);
  }

  run(): InstanceTypes {
    const { probe } = this.inst;
    if (probe.predicate) condition(this, probe.predicate);
    this.block(probe.body);
    return this.result;
  }

  /** Checks an expression and records its type. */
  expr(e: A.Expr): ValueType {
    const t = checkExpr(this, e);
    this.result.exprTypes.set(e, t);
    return t;
  }

  stmt(s: A.Stmt): void {
    checkStmt(this, s);
  }

  /** A block's statements in a scope of their own. */
  block(b: A.Block | A.BlockExpr): void {
    this.vars.scoped(() => {
      for (const s of b.statements) this.stmt(s);
    });
    const end = b.statements.findIndex(endsBlock);
    // Upstream's warning on the first statement after a return, break, continue or exit().
    if (end >= 0 && end + 1 < b.statements.length) this.warnings.warning(b.statements[end + 1].span, 'Unreachable statement.');
  }

  /** What builtins see of this instance (sdk CheckContext). */
  checkContext(): CheckContext {
    return builtinCheckContext(this);
  }
}

/** Whether control never goes past this statement: return, break, continue, exit(). */
function endsBlock(s: A.Stmt): boolean {
  if (s.kind === 'Return' || s.kind === 'Break' || s.kind === 'Continue') return true;
  return s.kind === 'ExprStmt' && s.expr.kind === 'Call' && s.expr.callee === 'exit';
}
