// A RunSession for tests of action handlers and value renderers, without a
// kernel: the core's Session over an object the in-memory runtime opened (the
// maps of the given Manifest), the builtins plugin's renderers, the host's
// clocks, strftime(3) and errno texts (libc), and a writer collecting both streams.
import { defaultConfig, type OutputFormat, type RuntimeConfig, type ValueRenderer } from '../sdk/index.ts';
import type { Manifest } from '../core/manifest/index.ts';
import type { SourceTexts } from '../core/diagnostics/index.ts';
import { Session } from '../core/session/session.ts';
import { valueRenderers } from '../core/session/dispatch.ts';
import { RunEnd } from '../core/session/run-end.ts';
import { coreValueRenderers } from '../plugins/builtins/index.ts';
import { LibbpfRuntime } from '../plugins/runtime/libbpf/index.ts';
import { MemoryRuntime, type MemoryObject } from './memory-runtime/index.ts';

/** A Manifest with no actions and no maps (what a handler test needs of one by default). */
export const emptyManifest: Manifest = {
  version: 1,
  actions: [],
  maps: [],
  probes: [],
  ringbuf: { cName: 'bs_events', size: 4096 },
  settings: [],
  dropCounter: 'bs_drops',
};

export interface TestSessionOptions {
  output: OutputFormat;
  manifest?: Manifest;
  config?: Partial<RuntimeConfig>;
  sources?: SourceTexts;
  noWarnings?: boolean;
  renderers?: readonly ValueRenderer[];
}

export function testSession(options: TestSessionOptions) {
  const manifest = options.manifest ?? emptyManifest;
  const runtime = new MemoryRuntime(manifest, new LibbpfRuntime());
  const object = runtime.open('test.bpf.o') as MemoryObject;
  const out: string[] = [];
  const err: string[] = [];
  const writer = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) };
  const end = new RunEnd();
  const session = new Session(
    {
      manifest,
      config: { ...defaultConfig, ...options.config },
      output: options.output,
      writer,
      runtime,
      renderers: valueRenderers(options.renderers ?? coreValueRenderers),
      opts: { sources: options.sources, noWarnings: options.noWarnings },
    },
    object,
    end,
  );
  return { session, out, err, end, object, runtime };
}
