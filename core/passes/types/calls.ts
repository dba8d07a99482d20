// Builtins, called (`printf(...)`) or bare (`pid`): typed by their plugin's
// `check` through the CheckContext adapter, folded by their `constant`.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import { guarded } from '../../plugin-host/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import type { Builtin, BuiltinArgNode } from '../../../sdk/index.ts';
import type { InstanceChecker } from './instance.ts';

export function checkCall(c: InstanceChecker, e: A.Call): ValueType {
  const builtin = c.opts.builtins.get(e.callee);
  if (!builtin) throw errorAt(e.calleeSpan, `Unknown function: '${e.callee}'`);
  if (builtin.aggregate) {
    throw errorAt(e.span, `${e.callee}() must be assigned directly to a map`);
  }
  if (builtin.endsProbe && c.mapLoopDepth > 0) {
    throw errorAt(e.span, `${e.callee}() is not allowed inside a for loop over a map`);
  }
  c.result.builtins.set(e, builtin);
  const t = guarded(builtin, `builtin ${e.callee}()`, 'check', e.span, () => builtin.check(e.args, c.checkContext(), e.span));
  builtinConstant(c, builtin, e.args, e);
  return t;
}

export function builtinIdentifier(c: InstanceChecker, e: A.Identifier, builtin: Builtin): ValueType {
  c.result.builtins.set(e, builtin);
  const t = guarded(builtin, `builtin ${e.name}`, 'check', e.span, () => builtin.check([], c.checkContext(), e.span));
  builtinConstant(c, builtin, [], e);
  return t;
}

function builtinConstant(c: InstanceChecker, builtin: Builtin, args: BuiltinArgNode[], e: A.Expr): void {
  const v = guarded(builtin, `builtin ${builtin.name}`, 'constant', e.span, () => builtin.constant?.(args, c.checkContext()));
  if (typeof v === 'string') c.result.strings.set(e, v);
  else if (v !== undefined) c.result.constants.set(e, v);
}
