// How a plugin is written: a ContainerModule that binds contributions.
//
//   export default definePlugin('my-provider', ({ bind }) => {
//     bind(Services.ProbeProvider).toConstantValue(new MyProvider());
//   });
import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type * as SdkModule from './index.ts';

export interface BpfscriptPlugin {
  readonly name: string;
  readonly module: ContainerModule;
}

export function definePlugin(name: string, register: (options: ContainerModuleLoadOptions) => void): BpfscriptPlugin {
  return { name, module: new ContainerModule(register) };
}

/**
 * The SDK as a package's plugin function receives it: the running
 * bpfscript's own, so the package needs no run-time import of bpfscript.
 *
 *   import type { PluginFactory } from 'bpfscript/sdk';
 *   const plugin: PluginFactory = ({ definePlugin, Services }) => definePlugin('x', ({ bind }) => { ... });
 *   export default plugin;
 */
export type Sdk = typeof SdkModule;

/** A package plugin's default export in the function form. */
export type PluginFactory = (sdk: Sdk) => BpfscriptPlugin | Promise<BpfscriptPlugin>;
