// The RunSession of one run (sdk/actions.ts): what the plugins' action
// handlers and value renderers work with. It decodes and renders record
// fields and map snapshots (each tag kind's renderer opened once, when its
// first value is shown), finds the loaded object's maps, measures the offset
// of the boot clock to the wall clock once, and ends the run on exit().
import type { Attachment, MapSnapshot, OutputFormat, OutputWriter, Runtime, RuntimeConfig, RuntimeMap, RuntimeObject, RunSession, ShownValue, SnapshotOptions, ValueRenderer, EventRecord } from '../../sdk/index.ts';
import { decodeValue, type ArgLayout, type DecodeOptions, type Manifest, type MapInfo, type ProbeInfo, type RenderTag, type ValueType } from '../manifest/index.ts';
import type { SourceTexts } from '../diagnostics/index.ts';
import type { RunContext, RunOptions } from './context.ts';
import type { RunEnd } from './run-end.ts';
import { mapSnapshot } from './maps.ts';
import { renderSnapshot, renderValue } from './render.ts';
import { openRenderer } from '../plugin-host/index.ts';

/**
 * realtime - boottime in ns: the lowest-skew of five real/boot/real clock
 * readings (as bpftrace measures it).
 */
function measureBootToRealtime(runtime: Runtime): bigint {
  let best: { delta: bigint; offset: bigint } | undefined;
  for (let i = 0; i < 5; i++) {
    const before = runtime.clockNs('realtime');
    const boot = runtime.clockNs('boottime');
    const after = runtime.clockNs('realtime');
    const delta = after - before;
    if (delta < 0n) continue;
    if (!best || delta < best.delta) best = { delta, offset: (before + after) / 2n - boot };
  }
  return best?.offset ?? runtime.clockNs('realtime') - runtime.clockNs('boottime');
}

/** What a session is made of (a RunContext has it all). */
export type SessionContext = Pick<RunContext, 'manifest' | 'config' | 'output' | 'writer' | 'runtime' | 'renderers'> & {
  readonly opts: Pick<RunOptions, 'sources' | 'noWarnings'>;
};

export class Session implements RunSession {
  readonly manifest: Manifest;
  readonly config: RuntimeConfig;
  readonly runtime: Runtime;
  readonly sources?: SourceTexts;
  readonly noWarnings: boolean;
  readonly #renderers: ReadonlyMap<string, ValueRenderer>;
  readonly #opened = new Map<string, ReturnType<ValueRenderer['open']>>();
  #bootToRealtimeNs: bigint | undefined;
  /** Where the handlers' output goes now (`redirect` changes it for a while). */
  #output: OutputFormat;
  #writer: OutputWriter;
  /** The run's attachments (detached ones leave it) and the probe of each. */
  #attachments: Attachment[] = [];
  #owners = new Map<Attachment, ProbeInfo>();

  constructor(
    s: SessionContext,
    private readonly obj: RuntimeObject,
    private readonly end: RunEnd,
  ) {
    this.manifest = s.manifest;
    this.config = s.config;
    this.#output = s.output;
    this.#writer = s.writer;
    this.runtime = s.runtime;
    this.sources = s.opts.sources;
    this.noWarnings = s.opts.noWarnings ?? false;
    this.#renderers = s.renderers;
  }

  get output(): OutputFormat {
    return this.#output;
  }

  get writer(): OutputWriter {
    return this.#writer;
  }

  /**
   * Sends the handlers' output to another format and writer (a test's output
   * is captured, a benchmark's dropped) until the returned function is called.
   */
  redirect(output: OutputFormat, writer: OutputWriter): () => void {
    const before = { output: this.#output, writer: this.#writer };
    this.#output = output;
    this.#writer = writer;
    return () => {
      this.#output = before.output;
      this.#writer = before.writer;
    };
  }

  get bootToRealtimeNs(): bigint {
    return (this.#bootToRealtimeNs ??= measureBootToRealtime(this.runtime));
  }

  /** A string that fills its whole buffer was truncated: it shows the config's trailer. */
  private get decodeOptions(): DecodeOptions {
    return { strTruncTrailer: this.config.strTruncTrailer };
  }

  value(record: EventRecord, layout: ArgLayout): ShownValue {
    return this.show(decodeValue(record.view, record.offset + layout.offset, layout.type, this.decodeOptions), layout.type);
  }

  show(value: unknown, type: ValueType): ShownValue {
    return renderValue(value, type, this.#render);
  }

  map(name: string): RuntimeMap {
    return this.obj.map(this.manifest.maps.find((m) => m.name === name)?.cName ?? name);
  }

  snapshot(name: string, opts: SnapshotOptions = {}): MapSnapshot {
    const info = this.manifest.maps.find((m) => m.name === name);
    if (!info) throw new Error(`the program has no map ${name}`);
    return this.snapshotOf(info, opts);
  }

  /** A map's snapshot by its Manifest entry. */
  snapshotOf(info: MapInfo, opts: SnapshotOptions = {}): MapSnapshot {
    return renderSnapshot(mapSnapshot(this.obj, info, opts.zeroWhenEmpty, this.decodeOptions), this.#render);
  }

  exit(code: number): void {
    this.end.exit(code);
  }

  /** The run's attachments, once the probes are attached, and the probe each belongs to. */
  useAttachments(attachments: Attachment[], owners: Map<Attachment, ProbeInfo>): void {
    this.#attachments = attachments;
    this.#owners = owners;
  }

  detachProbes(match: (probe: ProbeInfo) => boolean): number {
    let n = 0;
    for (const [a, probe] of this.#owners) {
      const at = this.#attachments.indexOf(a);
      if (at < 0 || !match(probe)) continue;
      this.#attachments.splice(at, 1);
      this.#owners.delete(a);
      a.detach();
      n++;
    }
    return n;
  }

  readonly #render = (value: bigint, tag: RenderTag, more?: readonly bigint[]): ShownValue => {
    let render = this.#opened.get(tag.kind);
    if (!render) {
      const renderer = this.#renderers.get(tag.kind);
      if (!renderer) throw new Error(`no plugin renders values of kind "${tag.kind}"`);
      this.#opened.set(tag.kind, (render = openRenderer(renderer, this)));
    }
    return render(value, tag, more);
  };
}
