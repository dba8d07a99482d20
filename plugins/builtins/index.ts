// The built-in functions and identifiers, registered as one plugin through the
// public SDK (a third-party builtin package looks exactly like this): each
// builtin's C half (Builtin), the handlers of the actions they send
// (ActionHandler) and the renderers of the values they tag (ValueRenderer).
import { definePlugin, Services, type ActionHandler, type Builtin, type ValueRenderer } from '../../sdk/index.ts';
import { contextBuiltins } from './context.ts';
import { outputBuiltins, outputHandlers } from './output.ts';
import { mapBuiltins, mapHandlers } from './maps.ts';
import { aggregationBuiltins } from './aggregations.ts';
import { metaBuiltins } from './meta.ts';
import { signalBuiltins } from './signal.ts';
import { symbolBuiltins, symbolRenderers } from './symbols.ts';
import { stackBuiltins } from './stacks.ts';
import { stackRenderers } from './stack-render.ts';
import { usymBuiltins, usymRenderers } from './usym.ts';
import { addressBuiltins } from './addresses.ts';
export { KERNEL_STACK_MAP, USER_STACK_MAP } from './stacks.ts';
import { asyncBuiltins, asyncHandlers } from './async.ts';
import { timeBuiltins, timeHandlers, timeRenderers } from './time.ts';
import { joinBuiltins, joinHandlers } from './join.ts';
import { stringBuiltins } from './strings.ts';
import { helperErrorHandlers } from './helper-errors.ts';
import { getopt } from './getopt.ts';
import { netBuiltins, netHandlers } from './net.ts';
import { debugf } from './debugf.ts';
import { unsafeBuiltins } from './unsafe.ts';
import { kernelBuiltins } from './kernel.ts';
import { unwatch, unwatchHandlers } from './unwatch.ts';
import { taskBuiltins } from './task.ts';
import { probeContextBuiltins } from './probe-context.ts';
import { reg } from './registers.ts';
import { cgroupBuiltins, cgroupRenderers } from './cgroup.ts';
import { usernameBuiltins, usernameRenderers } from './username.ts';

export const coreBuiltins: Builtin[] = [
  ...contextBuiltins,
  ...outputBuiltins,
  ...mapBuiltins,
  ...aggregationBuiltins,
  ...metaBuiltins,
  ...signalBuiltins,
  ...symbolBuiltins,
  ...stackBuiltins,
  ...usymBuiltins,
  ...addressBuiltins,
  ...timeBuiltins,
  ...asyncBuiltins,
  ...joinBuiltins,
  ...stringBuiltins,
  getopt,
  ...netBuiltins,
  debugf,
  ...unsafeBuiltins,
  ...kernelBuiltins,
  unwatch,
  ...taskBuiltins,
  ...probeContextBuiltins,
  reg,
  ...cgroupBuiltins,
  ...usernameBuiltins,
];

/** One handler per action kind the builtins (and `-k`'s helper checks) send. */
export const coreActionHandlers: ActionHandler[] = [...outputHandlers, ...mapHandlers, ...timeHandlers, ...asyncHandlers, ...joinHandlers, ...helperErrorHandlers, ...netHandlers, ...unwatchHandlers];

/** One renderer per render tag the builtins set. */
export const coreValueRenderers: ValueRenderer[] = [...timeRenderers, ...symbolRenderers, ...stackRenderers, ...usymRenderers, ...cgroupRenderers, ...usernameRenderers];

export const builtinsPlugin = definePlugin('builtins', ({ bind }) => {
  for (const b of coreBuiltins) bind(Services.Builtin).toConstantValue(b);
  for (const h of coreActionHandlers) bind(Services.ActionHandler).toConstantValue(h);
  for (const r of coreValueRenderers) bind(Services.ValueRenderer).toConstantValue(r);
});
export { getoptDeclaration, type GetoptDeclaration } from './getopt.ts';
