// The SDK's RuntimeObject over a BpfObject. Loading keeps what was asked of
// the logs: with a verifier log each program asks the verifier for one
// (statistics, or the whole trace), which libbpf prints at debug level, and
// libbpf's output is captured for `-d libbpf`.
import type { LoadLogs, LoadOptions, RuntimeObject } from '../../../sdk/index.ts';
import { BpfError, withLibbpfLog } from './errors.ts';
import type { BpfMap } from './map.ts';
import type { BpfObject } from './object.ts';
import { functionSizes } from './program-details.ts';
import { LibbpfMap } from './runtime-map.ts';
import { LibbpfProgram } from './runtime-program.ts';
import { uprobeMultiLoadType, uprobeMultiSupported, UPROBE_MULTI_SECTIONS } from './uprobe-multi.ts';

/** bpf_program__set_log_level bits: 1|2 trace the verification, 4 adds the statistics line. */
const VERIFIER_LEVELS = { stats: 4, full: 2 | 4 } as const;

export class LibbpfObject implements RuntimeObject {
  #sizes: Map<string, number> | undefined;
  readonly #programs = new Map<string, LibbpfProgram>();
  readonly #maps = new Map<string, LibbpfMap>();

  constructor(
    readonly object: BpfObject,
    private readonly objectPath: string,
  ) {}

  get name(): string {
    return this.object.name;
  }

  programs(): LibbpfProgram[] {
    return this.object.programs().map((p) => this.program(p.name));
  }

  program(name: string): LibbpfProgram {
    let p = this.#programs.get(name);
    if (!p) this.#programs.set(name, (p = new LibbpfProgram(this.object.program(name), () => (this.#sizes ??= functionSizes(this.objectPath)))));
    return p;
  }

  map(name: string): LibbpfMap {
    // BpfObject.map throws the BpfError of a missing map.
    return this.wrapMap(this.object.map(name));
  }

  findMap(name: string): LibbpfMap | undefined {
    const found = this.object.findMap(name);
    return found && this.wrapMap(found);
  }

  setRodata(bytes: Uint8Array): void {
    this.object.setRodata(bytes);
  }

  setMapMaxEntries(name: string, entries: number): void {
    this.object.setMapMaxEntries(name, entries);
  }

  load(options: LoadOptions = {}): LoadLogs {
    this.prepareMultiPrograms();
    const verifierLevel = options.verifierLog ? VERIFIER_LEVELS[options.verifierLog] : 0;
    if (!verifierLevel && !options.runtimeLog) {
      this.object.load();
      return { all: '', verifier: new Map() };
    }
    if (verifierLevel) for (const p of this.object.programs()) p.setLogLevel(verifierLevel);
    const previous = process.env.BPFSCRIPT_LIBBPF_DEBUG;
    process.env.BPFSCRIPT_LIBBPF_DEBUG = '1';
    let failure: unknown;
    const { log } = withLibbpfLog(() => {
      try {
        this.object.load();
      } catch (e) {
        failure = e;
      }
    });
    if (previous === undefined) delete process.env.BPFSCRIPT_LIBBPF_DEBUG;
    else process.env.BPFSCRIPT_LIBBPF_DEBUG = previous;
    // The log went to this capture, not to the error: give it back.
    if (failure instanceof BpfError) throw new BpfError(`failed to load BPF object '${this.name}'`, { op: failure.op, errno: failure.errno, log });
    if (failure) throw failure;
    const verifier = new Map<string, string>();
    for (const m of log.matchAll(/prog '([^']+)': -- BEGIN PROG LOAD LOG --\n([\s\S]*?)-- END PROG LOAD LOG --/g)) verifier.set(m[1]!, m[2]!);
    return { all: log, verifier };
  }

  close(): void {
    this.object.close();
  }

  /** Programs of uprobe_multi sections load as such where the kernel has the links, else as plain uprobes (uprobe-multi.ts). */
  private prepareMultiPrograms(): void {
    const programs = this.object.programs().filter((p) => UPROBE_MULTI_SECTIONS.has(p.section));
    if (!programs.length) return;
    const multi = uprobeMultiSupported();
    for (const p of programs) {
      const load = uprobeMultiLoadType(p.section, multi)!;
      p.setType(load.type);
      p.setExpectedAttachType(load.expectedAttachType);
    }
  }

  private wrapMap(map: BpfMap): LibbpfMap {
    let m = this.#maps.get(map.name);
    if (!m) this.#maps.set(map.name, (m = new LibbpfMap(map)));
    return m;
  }
}
