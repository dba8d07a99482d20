// The service container: core services plus every built-in plugin, loaded the
// same way a third-party plugin is. Tests rebind services to swap them.
import 'reflect-metadata';
import { Container } from 'inversify';
import { Hooks, Services, defaultConfig, type BpfscriptPlugin, type RuntimeConfig } from '../sdk/index.ts';
import { TracefsReader } from '../plugins/host/index.ts';
import { BtfKernelTypes } from '../plugins/btf/index.ts';
import { beginEndPlugin, fentryPlugin, intervalPlugin, kprobePlugin, profilePlugin, rawTracepointPlugin, softwarePlugin, tracepointPlugin, uprobePlugin, usdtPlugin, watchpointPlugin, hardwarePlugin, iterPlugin } from '../providers/index.ts';
import { builtinsPlugin } from '../plugins/builtins/index.ts';
import { textOutputPlugin } from '../plugins/output-text/index.ts';
import { jsonOutputPlugin } from '../plugins/output-json/index.ts';

export const builtinPlugins: readonly BpfscriptPlugin[] = [
  beginEndPlugin,
  intervalPlugin,
  tracepointPlugin,
  rawTracepointPlugin,
  kprobePlugin,
  fentryPlugin,
  profilePlugin,
  softwarePlugin,
  uprobePlugin,
  usdtPlugin,
  watchpointPlugin,
  hardwarePlugin,
  iterPlugin,
  builtinsPlugin,
  textOutputPlugin,
  jsonOutputPlugin,
];

export async function createContainer(options: { config?: Partial<RuntimeConfig>; plugins?: readonly BpfscriptPlugin[] } = {}): Promise<Container> {
  const container = new Container();
  container.bind(Services.Hooks).toConstantValue(new Hooks());
  container.bind(Services.Tracefs).toConstantValue(new TracefsReader());
  // Kernel BTF is read on first use only: scripts without kernel types pay nothing.
  container.bind(Services.KernelTypes).toConstantValue(new BtfKernelTypes());
  container.bind(Services.Config).toConstantValue({ ...defaultConfig, ...options.config });
  for (const plugin of [...builtinPlugins, ...(options.plugins ?? [])]) await container.load(plugin.module);
  return container;
}
