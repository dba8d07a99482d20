// The composition root: the one file that names the built-in plugins. The core
// (core/) knows none of them; it gets this list, the way a third-party plugin
// is handed over, so each built-in could be swapped or left out.
import type { Container } from 'inversify';
import type { BpfscriptPlugin, RuntimeConfig } from '../sdk/index.ts';
import { createContainer } from '../core/index.ts';
import { beginEndPlugin, fentryPlugin, intervalPlugin, kprobePlugin, profilePlugin, rawTracepointPlugin, softwarePlugin, tracepointPlugin, uprobePlugin, usdtPlugin, watchpointPlugin, hardwarePlugin, iterPlugin, selfPlugin, testBenchPlugin } from '../providers/index.ts';
import { kernelPlugin } from '../plugins/compiler/kernel/index.ts';
import { cInteropPlugin } from '../plugins/compiler/c-interop/index.ts';
import { cTypesPlugin } from '../plugins/compiler/c-types/index.ts';
import { builtinsPlugin } from '../plugins/builtins/index.ts';
import { textOutputPlugin } from '../plugins/output/text/index.ts';
import { jsonOutputPlugin } from '../plugins/output/json/index.ts';
import { flameGraphPlugin, foldedOutputPlugin } from '../plugins/output/folded/index.ts';
import { libbpfRuntimePlugin } from '../plugins/runtime/libbpf/index.ts';
import type { ExportSpec } from './args.ts';

export const builtinPlugins: readonly BpfscriptPlugin[] = [
  kernelPlugin,
  cInteropPlugin,
  cTypesPlugin,
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
  selfPlugin,
  testBenchPlugin,
  builtinsPlugin,
  textOutputPlugin,
  jsonOutputPlugin,
  foldedOutputPlugin,
  libbpfRuntimePlugin,
];

/**
 * A session's container with every built-in plugin, the bundled ones a flag
 * turns on (`--export`, `--flamegraph`: `optional`), then `plugins` (tests
 * add or swap their own).
 */
export function createBpfscript(options: { config?: Partial<RuntimeConfig>; optional?: readonly BpfscriptPlugin[]; plugins?: readonly BpfscriptPlugin[] } = {}): Promise<Container> {
  return createContainer({ config: options.config, bundled: [...builtinPlugins, ...(options.optional ?? [])], plugins: options.plugins });
}

/**
 * `--export`'s plugin, for the targets given (none: no plugin). Loaded only
 * then: the Prometheus and OpenTelemetry libraries stay out of other runs.
 */
export async function exportPlugins(targets: readonly ExportSpec[], options: { quiet?: boolean }): Promise<BpfscriptPlugin[]> {
  if (targets.length === 0) return [];
  const { exportPlugin } = await import('../plugins/export/index.ts');
  return [exportPlugin(targets, options)];
}

/** `--flamegraph FILE`'s plugin (none without the flag). */
export function flameGraphPlugins(file: string | undefined): BpfscriptPlugin[] {
  return file === undefined ? [] : [flameGraphPlugin(file)];
}

/** `bpfscript merge`: the JSON output format's merge of several runs. */
export { mergeJsonRuns, MergeError } from '../plugins/output/json/index.ts';
