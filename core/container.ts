// The service container of one session: the core's own services (hooks,
// configuration), then the plugins it is given, each a ContainerModule loaded
// the same way. The core knows no concrete plugin: the list of built-in ones
// is the composition root's (cli/plugins.ts). Tests rebind services to swap them.
import 'reflect-metadata';
import { Container } from 'inversify';
import { Hooks, Services, defaultConfig, type BpfscriptPlugin, type RuntimeConfig } from '../sdk/index.ts';

export async function createContainer(options: { config?: Partial<RuntimeConfig>; plugins?: readonly BpfscriptPlugin[] } = {}): Promise<Container> {
  const container = new Container();
  container.bind(Services.Hooks).toConstantValue(new Hooks());
  container.bind(Services.Config).toConstantValue({ ...defaultConfig, ...options.config });
  for (const plugin of options.plugins ?? []) await container.load(plugin.module);
  return container;
}
