// The SDK's RuntimeObject over a BpfObject. Loading keeps what was asked of
// the logs: with a verifier log each program asks the verifier for one
// (statistics, or the whole trace), which goes to the program's log buffer of
// `logSize` bytes (or, without one, libbpf prints it at debug level), and
// libbpf's output is captured for `-d libbpf`.
import type { LoadLogs, LoadOptions, RuntimeObject } from '../../../sdk/index.ts';
import { BpfError, withLibbpfLog } from './errors.ts';
import type { BpfMap } from './map.ts';
import type { BpfObject } from './object.ts';
import { functionSizes } from './program-details.ts';
import { LibbpfMap } from './runtime-map.ts';
import { LibbpfProgram } from './runtime-program.ts';
import { uprobeMultiLoadType, uprobeMultiSupported, UPROBE_MULTI_SECTIONS } from './uprobe-multi.ts';
import { LogBuffers } from './log-buffers.ts';

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
    if (verifierLevel) for (const p of this.object.programs()) p.setLogLevel(verifierLevel);
    const buffers = options.logSize ? new LogBuffers(this.object.programs(), options.logSize) : undefined;
    try {
      if (!verifierLevel && !options.runtimeLog) {
        this.loadWith(buffers);
        return { all: '', verifier: new Map() };
      }
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
      if (failure instanceof BpfError) throw this.loadFailure(failure, log, buffers);
      if (failure) throw failure;
      const verifier = new Map<string, string>();
      if (buffers) {
        for (const p of this.object.programs()) verifier.set(p.name, buffers.read(p.name));
      } else {
        for (const m of log.matchAll(/prog '([^']+)': -- BEGIN PROG LOAD LOG --\n([\s\S]*?)-- END PROG LOAD LOG --/g)) verifier.set(m[1]!, m[2]!);
      }
      return { all: log, verifier };
    } finally {
      buffers?.free();
    }
  }

  /** Loads without capturing libbpf's log; a failure carries the failed program's log. */
  private loadWith(buffers: LogBuffers | undefined): void {
    try {
      this.object.load();
    } catch (e) {
      throw buffers && e instanceof BpfError ? this.loadFailure(e, e.log, buffers) : e;
    }
  }

  /**
   * The error of a failed load. With log buffers the verifier's log is in the
   * buffer of the program that failed: libbpf loads in order and stops there,
   * so it is the last program with a log.
   */
  private loadFailure(failure: BpfError, log: string, buffers: LogBuffers | undefined): BpfError {
    const message = `failed to load BPF object '${this.name}'`;
    const failed = buffers && this.object.programs().map((p) => ({ program: p.name, verifierLog: buffers.read(p.name) })).filter((p) => p.verifierLog).pop();
    return new BpfError(message, { op: failure.op, errno: failure.errno, log, ...(failed ?? {}) });
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
