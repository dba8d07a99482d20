// What one run works with: the options the caller gave, and what the
// container provides (hooks, configuration, the output format, the providers,
// the runtime, the action handlers and value renderers). Every part of a run
// (load, attach, dispatch, exit) takes it.
import type { Container } from 'inversify';
import { Services, type ActionHandler, type Hooks, type OutputFormat, type OutputWriter, type Runtime, type RuntimeConfig, type ValueRenderer } from '../../sdk/index.ts';
import type { Manifest } from '../manifest/index.ts';
import type { SourceTexts } from '../diagnostics/index.ts';
import { ProviderRegistry } from '../probes/index.ts';
import type { CompiledScript } from './compile.ts';
import type { ChildProcessHandle } from './child.ts';
import { actionHandlers, valueRenderers } from './dispatch.ts';

export interface RunOptions {
  writer: OutputWriter;
  format?: string;
  quiet?: boolean;
  /** Load and attach, then stop without running (`--dry-run`). */
  dryRun?: boolean;
  child?: ChildProcessHandle;
  /** -p PID: stop when it exits. */
  targetPid?: number;
  /** Script texts by file name: errorf/warnf and run-time errors quote their line. */
  sources?: SourceTexts;
  /** --no-warnings: warnf() prints nothing. */
  noWarnings?: boolean;
  /** Ends the run as Ctrl-C does; when given, the caller owns SIGINT/SIGTERM. */
  stop?: AbortSignal;
  /** -v: compile cache, program sizes and ids, verifier statistics, attach details (stderr). */
  verbose?: boolean;
  /** -d libbpf: libbpf's whole log; -d verifier: the verifier's log of every program (stderr). */
  debugLogs?: { libbpf?: boolean; verifier?: boolean };
  /** --emit-elf FILE: the compiled BPF object is copied there. */
  emitElf?: string;
  /** --test / --bench: run the script's test: or bench: probes instead of attaching anything. */
  mode?: RunMode;
  /** Called once everything is attached and `Attached N probes` is written, before any event is printed (not in a dry run). */
  onAttached?: () => void;
}

/** What a run does between begin and end: attach and wait (`run`), run the tests, or time the benchmarks. */
export type RunMode = 'run' | 'test' | 'bench';

export interface RunContext {
  readonly compiled: CompiledScript;
  readonly manifest: Manifest;
  readonly opts: RunOptions;
  readonly writer: OutputWriter;
  readonly hooks: Hooks;
  readonly config: RuntimeConfig;
  readonly output: OutputFormat;
  /** The format a test's output is kept in, to show it when the test fails: text, whatever `-f` says (as bpftrace). */
  readonly captureFormat: OutputFormat;
  readonly registry: ProviderRegistry;
  readonly runtime: Runtime;
  /** The handler of each action kind of the program. */
  readonly handlers: ReadonlyMap<string, ActionHandler>;
  /** The renderers of tagged values, by tag kind. */
  readonly renderers: ReadonlyMap<string, ValueRenderer>;
}

/** The run's context from the container; an unknown `-f` format, or an action kind no plugin handles, is an error. */
export function runContext(container: Container, compiled: CompiledScript, opts: RunOptions): RunContext {
  const hooks = container.get(Services.Hooks);
  const config = container.get(Services.Config);
  const formatName = opts.format ?? 'text';
  const formats = container.getAll(Services.OutputFormat);
  const output = formats.find((f) => f.name === formatName);
  if (!output) throw new Error(`Invalid output format "${formatName}"`);
  const captureFormat = formats.find((f) => f.name === 'text') ?? output;
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const runtime = container.get(Services.Runtime);
  const handlers = actionHandlers(compiled.manifest, container.getAll(Services.ActionHandler));
  const renderers = valueRenderers(container.getAll(Services.ValueRenderer));
  return { compiled, manifest: compiled.manifest, opts, writer: opts.writer, hooks, config, output, captureFormat, registry, runtime, handlers, renderers };
}
