// Which plugin contributed a builtin or a probe provider, so that what goes
// wrong inside it (an exception, C that clang refuses) and what it replaces
// can be reported under its name. Recorded when a plugin is loaded
// (core/plugin-host/load.ts); contributions are constant values, so the object
// itself is the key.
export interface PluginOrigin {
  /** The plugin's name, as `definePlugin` gave it. */
  plugin: string;
  /** The npm package whose `bpfscript.plugin` it is, if it came with one. */
  package?: string;
  /** One of the plugins bpfscript comes with (the composition root's list). */
  bundled: boolean;
}

const origins = new WeakMap<object, PluginOrigin>();

export function setOrigin(contribution: object, origin: PluginOrigin): void {
  if (!origins.has(contribution)) origins.set(contribution, origin);
}

export function originOf(contribution: object): PluginOrigin | undefined {
  return origins.get(contribution);
}

/** `plugin "deep" of package "bt-deep"`, `bpfscript's plugin "builtins"`. */
export function describeOrigin(origin: PluginOrigin): string {
  if (origin.bundled) return `bpfscript's plugin "${origin.plugin}"`;
  return origin.package ? `plugin "${origin.plugin}" of package "${origin.package}"` : `plugin "${origin.plugin}"`;
}
