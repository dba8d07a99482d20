// Loading one plugin into a session's container: its ContainerModule, then a
// record of what it added (the origin of its builtins, providers, action
// handlers and value renderers, for diagnostics), and, for a package's
// plugin, the built-in names it replaces.
import type { Container, ServiceIdentifier } from 'inversify';
import { Services, type BpfscriptPlugin, type Builtin, type ProbeProvider } from '../../sdk/index.ts';
import { setOrigin, originOf, describeOrigin, type PluginOrigin } from './origins.ts';

function bound<T>(container: Container, id: ServiceIdentifier<T>): T[] {
  return container.isBound(id) ? container.getAll(id) : [];
}

export interface PluginContributions {
  builtins: Builtin[];
  providers: ProbeProvider[];
}

/**
 * Loads `plugin`; returns the builtins and providers it added. Each of them,
 * and each action handler, value renderer (the user-space half of its
 * builtins) and hook tap it added, is recorded with its origin.
 */
export function loadPlugin(container: Container, plugin: BpfscriptPlugin, origin: Omit<PluginOrigin, 'plugin'>): PluginContributions {
  const before = new Set<object>([
    ...bound(container, Services.Builtin), ...bound(container, Services.ProbeProvider),
    ...bound(container, Services.ActionHandler), ...bound(container, Services.ValueRenderer), ...bound(container, Services.HookTap),
  ]);
  container.load(plugin.module);
  const added = <T extends object>(id: ServiceIdentifier<T>) => bound(container, id).filter((x) => !before.has(x));
  const builtins = added(Services.Builtin);
  const providers = added(Services.ProbeProvider);
  const runTime = [...added(Services.ActionHandler), ...added(Services.ValueRenderer), ...added(Services.HookTap)];
  for (const x of [...builtins, ...providers, ...runTime]) setOrigin(x, { plugin: plugin.name, ...origin });
  return { builtins, providers };
}

/** A name a plugin defines that an earlier plugin defined already. */
export interface Replacement {
  kind: 'builtin' | 'provider';
  name: string;
  /** Whether the new one says it replaces the other on purpose (`override: true`). */
  intended: boolean;
  /** `bpfscript's plugin "builtins"`: who defined it first. */
  replaced: string;
}

/** The names `added` takes from the builtins and providers already in the container before it. */
export function replacements(container: Container, added: PluginContributions): Replacement[] {
  const out: Replacement[] = [];
  const newBuiltins = new Set<object>(added.builtins);
  const newProviders = new Set<object>(added.providers);
  const who = (x: object) => {
    const o = originOf(x);
    return o ? describeOrigin(o) : 'an earlier plugin';
  };
  const oldBuiltins = bound(container, Services.Builtin).filter((b) => !newBuiltins.has(b));
  for (const b of added.builtins) {
    const old = oldBuiltins.find((x) => x.name === b.name);
    if (old) out.push({ kind: 'builtin', name: b.name, intended: b.override === true, replaced: who(old) });
  }
  const oldProviders = bound(container, Services.ProbeProvider).filter((p) => !newProviders.has(p));
  for (const p of added.providers) {
    for (const word of [p.name, ...p.aliases]) {
      const old = oldProviders.find((x) => x.name === word || x.aliases.includes(word));
      if (old) out.push({ kind: 'provider', name: word, intended: p.override === true, replaced: who(old) });
    }
  }
  return out;
}
