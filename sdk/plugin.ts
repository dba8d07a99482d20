// How a plugin is written: a ContainerModule that binds contributions.
//
//   export default definePlugin('my-provider', ({ bind }) => {
//     bind(Services.ProbeProvider).toConstantValue(new MyProvider());
//   });
import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';

export interface BpfscriptPlugin {
  readonly name: string;
  readonly module: ContainerModule;
}

export function definePlugin(name: string, register: (options: ContainerModuleLoadOptions) => void): BpfscriptPlugin {
  return { name, module: new ContainerModule(register) };
}
