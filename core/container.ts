// The service container of one session: the core's own services (hooks,
// configuration), then the plugins it is given, each a ContainerModule loaded
// the same way, then every plugin's HookTap applied to the session's hooks.
// The core knows no concrete plugin: the list of built-in ones is the
// composition root's (cli/plugins.ts). Tests rebind services to swap them.
// Reflect's metadata API (for plugins written with decorators) is installed by
// inversify itself ('reflect-metadata/lite'): the full polyfill would only
// install it a second time, at every start.
import { Container } from 'inversify';
import { Hooks, Services, defaultConfig, type BpfscriptPlugin, type HookTap, type RuntimeConfig } from '../sdk/index.ts';
import { hooksFor, loadPlugin } from './plugin-host/index.ts';
import type { Span } from './diagnostics/index.ts';

/** The taps already applied to each container's hooks. */
const appliedTaps = new WeakMap<Container, Set<HookTap>>();

export interface ContainerOptions {
  config?: Partial<RuntimeConfig>;
  /** The plugins bpfscript comes with (loaded first; their failures are bpfscript's bugs). */
  bundled?: readonly BpfscriptPlugin[];
  /** Other plugins: a third party's, or a test's own (their exceptions are reported under their name). */
  plugins?: readonly BpfscriptPlugin[];
}

export async function createContainer(options: ContainerOptions = {}): Promise<Container> {
  const container = new Container();
  container.bind(Services.Hooks).toConstantValue(new Hooks());
  container.bind(Services.Config).toConstantValue({ ...defaultConfig, ...options.config });
  for (const plugin of options.bundled ?? []) loadPlugin(container, plugin, { bundled: true });
  for (const plugin of options.plugins ?? []) loadPlugin(container, plugin, { bundled: false });
  applyHookTaps(container);
  return container;
}

/**
 * Applies the bound HookTaps not applied yet to the session's hooks: after
 * the plugins a container starts with, and again whenever a plugin is loaded
 * later (a package's, when a script imports it: `at` is the import, where
 * what its taps throw is reported).
 */
export function applyHookTaps(container: Container, at?: Span): void {
  let applied = appliedTaps.get(container);
  if (!applied) appliedTaps.set(container, (applied = new Set()));
  const hooks = container.get(Services.Hooks);
  for (const tap of container.getAll(Services.HookTap)) {
    if (applied.has(tap)) continue;
    applied.add(tap);
    tap.apply(hooksFor(tap, hooks, at));
  }
}
