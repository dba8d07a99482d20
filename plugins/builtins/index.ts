// The built-in functions and identifiers, registered as one plugin through the
// public SDK (a third-party builtin package looks exactly like this).
import { definePlugin, Services, type Builtin } from '../../sdk/index.ts';
import { contextBuiltins } from './context.ts';
import { outputBuiltins } from './output.ts';
import { mapBuiltins } from './maps.ts';
import { aggregationBuiltins } from './aggregations.ts';
import { metaBuiltins } from './meta.ts';
import { signalBuiltins } from './signal.ts';
import { symbolBuiltins } from './symbols.ts';
export { KERNEL_STACK_MAP } from './symbols.ts';
import { asyncBuiltins } from './async.ts';
import { getopt } from './getopt.ts';

export const coreBuiltins: Builtin[] = [...contextBuiltins, ...outputBuiltins, ...mapBuiltins, ...aggregationBuiltins, ...metaBuiltins, ...signalBuiltins, ...symbolBuiltins, ...asyncBuiltins, getopt];

export const builtinsPlugin = definePlugin('builtins', ({ bind }) => {
  for (const b of coreBuiltins) bind(Services.Builtin).toConstantValue(b);
});
export { getoptDeclaration, type GetoptDeclaration } from './getopt.ts';
