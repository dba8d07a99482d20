// Plugins of imported npm packages (`"bpfscript": { "plugin": "./plugin.js" }`),
// loaded into the session's container before the program is rewritten, with
// their HookTaps applied at once: `import "pkg";` brings the package's
// builtins, providers and taps into the compile that imports it.
//
// The module's default export is either a BpfscriptPlugin (made with the SDK's
// definePlugin) or a function that receives the running bpfscript's SDK and
// returns one. The function form needs no import of bpfscript at all, so a
// package works with whichever bpfscript runs it (the CLI is one bundled file).
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importModule } from './dynamic-import.ts';
import { ContainerModule, type Container } from 'inversify';
import type { PluginEntry } from '../passes/imports/index.ts';
import { CompileError, errorAt, type Diagnostic } from '../diagnostics/index.ts';
import * as sdk from '../../sdk/index.ts';
import { applyHookTaps } from '../container.ts';
import { loadPlugin, replacements, type PluginContributions } from '../plugin-host/index.ts';

/** Plugin files loaded into each container (a container may compile several scripts). */
const loaded = new WeakMap<Container, Set<string>>();

function isPlugin(p: unknown): p is sdk.BpfscriptPlugin {
  return typeof p === 'object' && p !== null && typeof (p as sdk.BpfscriptPlugin).name === 'string' && typeof (p as sdk.BpfscriptPlugin).module === 'object';
}

/**
 * Loads the plugins of the imported packages (each once per container);
 * returns the warnings about built-in names they replace on purpose.
 */
export async function loadPackagePlugins(container: Container, entries: readonly PluginEntry[]): Promise<Diagnostic[]> {
  const warnings: Diagnostic[] = [];
  let done = loaded.get(container);
  if (!done) loaded.set(container, (done = new Set()));
  for (const entry of entries) {
    if (done.has(entry.path)) continue;
    const what = `the plugin of package "${entry.package}" (${relative(process.cwd(), entry.path)})`;
    let plugin: unknown;
    try {
      const mod = (await importModule(pathToFileURL(entry.path).href)) as { default?: unknown };
      plugin = typeof mod.default === 'function' ? await (mod.default as (s: typeof sdk) => unknown)(sdk) : mod.default;
    } catch (e) {
      throw errorAt(entry.span, `cannot load ${what}: ${(e as Error)?.message ?? String(e)}`);
    }
    if (!isPlugin(plugin)) {
      throw errorAt(entry.span, `${what} must export default a plugin (definePlugin(name, register)) or a function (sdk) => plugin`);
    }
    if (!(plugin.module instanceof ContainerModule)) {
      throw errorAt(entry.span, `${what} was made with another copy of bpfscript's SDK: export default a function (sdk) => sdk.definePlugin(...) instead`);
    }
    let added: PluginContributions;
    try {
      added = loadPlugin(container, plugin, { bundled: false, package: entry.package });
      applyHookTaps(container, entry.span);
    } catch (e) {
      throw errorAt(entry.span, `cannot load ${what}: ${(e as Error)?.message ?? String(e)}`);
    }
    done.add(entry.path);
    warnings.push(...replacementDiagnostics(container, added, entry, plugin.name));
  }
  return warnings;
}

/**
 * A package's builtin or provider taking a name the core (or an earlier
 * package) has: refused, unless it says `override: true`, then warned about.
 */
function replacementDiagnostics(container: Container, added: PluginContributions, entry: PluginEntry, pluginName: string): Diagnostic[] {
  const warnings: Diagnostic[] = [];
  for (const r of replacements(container, added)) {
    const what = `${r.kind} "${r.name}" of plugin "${pluginName}" of package "${entry.package}"`;
    if (!r.intended) {
      throw new CompileError([
        { severity: 'ERROR', message: `${what} would replace the ${r.kind} of ${r.replaced}`, span: entry.span },
        { severity: 'HINT', message: `set \`override: true\` on the ${r.kind} to replace it on purpose` },
      ]);
    }
    warnings.push({ severity: 'WARNING', message: `${what} overrides the ${r.kind} of ${r.replaced}`, span: entry.span });
  }
  return warnings;
}
