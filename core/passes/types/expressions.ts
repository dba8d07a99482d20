// The type of an expression, by family: each kind goes to the module that
// knows it (literals and identifiers, calls, operators, member access and
// indexing, casts, tuples and records, branches, type queries, comptime).
import type * as A from '../../syntax/ast.ts';
import type { ValueType } from '../../manifest/index.ts';
import { checkBlockExpr, checkIfExpr, checkTernary } from './branches.ts';
import { checkCall } from './calls.ts';
import { checkCast } from './casts.ts';
import { checkComptime } from './comptime.ts';
import type { InstanceChecker } from './instance.ts';
import { checkIdentifier, checkLiteral } from './literals.ts';
import { mapRead } from './maps.ts';
import { checkFieldAccess, checkIndex, checkTupleIndex } from './members.ts';
import { checkBinary, checkUnary, checkUpdate } from './operators.ts';
import { checkRecord, checkTuple } from './tuples.ts';
import { checkOffsetof, checkSizeof, checkTypeinfo } from './type-queries.ts';

/** The type of `e`; InstanceChecker.expr records it. */
export function checkExpr(c: InstanceChecker, e: A.Expr): ValueType {
  switch (e.kind) {
    case 'Integer':
    case 'String':
    case 'Bool':
    case 'PositionalParam':
    case 'ParamCount':
      return checkLiteral(c, e);
    case 'Variable':
      return c.vars.read(e);
    case 'MapRef':
    case 'MapAccess':
      return mapRead(c, e);
    case 'Identifier':
      return checkIdentifier(c, e);
    case 'Call':
      return checkCall(c, e);
    case 'Binary':
      return checkBinary(c, e);
    case 'Unary':
      return checkUnary(c, e);
    case 'Update':
      return checkUpdate(c, e);
    case 'Ternary':
      return checkTernary(c, e);
    case 'FieldAccess':
      return checkFieldAccess(c, e);
    case 'TupleIndex':
      return checkTupleIndex(c, e);
    case 'Index':
      return checkIndex(c, e);
    case 'Cast':
      return checkCast(c, e);
    case 'Tuple':
      return checkTuple(c, e);
    case 'Record':
      return checkRecord(c, e);
    case 'BlockExpr':
      return checkBlockExpr(c, e);
    case 'IfExpr':
      return checkIfExpr(c, e);
    case 'Sizeof':
      return checkSizeof(c, e);
    case 'Offsetof':
      return checkOffsetof(c, e);
    case 'Typeinfo':
      return checkTypeinfo(c, e);
    case 'Comptime':
      return checkComptime(c, e);
  }
}
