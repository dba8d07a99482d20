// An opened object in memory: the Manifest's programs and maps, the ring
// buffer, and what the session did to them (recorded in the runtime's calls).
import { RuntimeError, type Attachment, type LoadLogs, type LoadOptions, type ProgramDetails, type RuntimeObject, type RuntimeProgram, type TimedRun } from '../../sdk/index.ts';
import type { Action, MapInfo, ProbeInfo } from '../../core/manifest/index.ts';
import { MemoryMap } from './map.ts';
import { ProgramRun } from './program-run.ts';
import type { MemoryRuntime } from './runtime.ts';

const ENOENT = 2;

function missing(what: string, op: string): RuntimeError {
  return new RuntimeError(`no ${what}`, { op, errno: ENOENT, code: 'ENOENT' });
}

const PER_CPU = new Set(['percpu_hash', 'lru_percpu_hash', 'percpu_array']);

class MemoryProgram implements RuntimeProgram {
  readonly name: string;
  readonly section: string;
  autoload = true;
  attached = false;

  constructor(
    private readonly runtime: MemoryRuntime,
    private readonly object: MemoryObject,
    readonly probe: ProbeInfo,
  ) {
    this.name = probe.programName;
    this.section = probe.section;
  }

  setAutoload(autoload: boolean): void {
    this.autoload = autoload;
  }

  details(): ProgramDetails {
    // Nothing was compiled for a kernel here: no id, no size.
    return {};
  }

  /** Runs the test's script for this probe; its return value (0 when it returns none). */
  run(cpu = 0): number {
    if (!this.object.loaded) throw new Error(`program '${this.name}' is not loaded`);
    return this.runtime.scripts.get(this.probe.name)?.(new ProgramRun(this.object, cpu)) ?? 0;
  }

  testRun(): number {
    this.runtime.calls.push(`run ${this.probe.name}`);
    return this.run();
  }

  /** Runs the script `repeat` times; each run takes the runtime's `runDurationNs`. */
  timedRun(repeat: number): TimedRun {
    this.runtime.calls.push(`run ${this.probe.name} x${repeat}`);
    let retval = 0;
    for (let i = 0; i < repeat; i++) retval = this.run();
    return { retval, durationNs: this.runtime.runDurationNs };
  }

  attachTracepoint(category: string, event: string): Attachment {
    return this.attach(`tracepoint ${category}:${event}`);
  }

  attachRawTracepoint(name: string): Attachment {
    return this.attach(`raw_tracepoint ${name}`);
  }

  attachPerfEvent(perfFd: number): Attachment {
    return this.attach(`perf_event fd ${perfFd}`);
  }

  attachUprobe(retprobe: boolean, pid: number, binaryPath: string, fileOffset: number): Attachment {
    return this.attach(`${retprobe ? 'uretprobe' : 'uprobe'} ${binaryPath}+${fileOffset} pid ${pid}`);
  }

  attachUprobeMulti(retprobe: boolean, pid: number, binaryPath: string, fileOffsets: number[], cookies: number[]): Attachment {
    const points = fileOffsets.map((o, i) => `${o}#${cookies[i]}`).join(',');
    return this.attach(`${retprobe ? 'uretprobe' : 'uprobe'}_multi ${binaryPath}+${points} pid ${pid}`);
  }

  attachUsdt(pid: number, binaryPath: string, provider: string, name: string): Attachment {
    return this.attach(`usdt ${binaryPath}:${provider}:${name} pid ${pid}`);
  }

  attachIter(): Attachment {
    return { ...this.attach('iter'), drive: () => void this.run() };
  }

  attachAuto(): Attachment {
    return this.attach(this.section);
  }

  private attach(where: string): Attachment {
    if (!this.object.loaded) throw new Error(`program '${this.name}': attach needs a loaded object`);
    const failure = this.runtime.attachFailures.get(this.probe.name);
    if (failure) throw failure;
    this.runtime.calls.push(`attach ${this.probe.name} (${where})`);
    this.attached = true;
    const detach = () => {
      if (!this.attached) return;
      this.attached = false;
      this.runtime.calls.push(`detach ${this.probe.name}`);
    };
    return { detach, detachAsync: async () => detach() };
  }
}

/** The ring buffer: records wait here until the session's stream takes them. */
export class MemoryRing {
  readonly records: Uint8Array[] = [];
  onPush: (() => void) | undefined;

  push(record: Uint8Array): void {
    this.records.push(record);
    this.onPush?.();
  }
}

export class MemoryObject implements RuntimeObject {
  readonly name: string;
  loaded = false;
  closed = false;
  /** The run-time settings the session wrote (`.rodata`). */
  rodata: Uint8Array | undefined;
  readonly ring = new MemoryRing();
  readonly #programs: MemoryProgram[];
  readonly #maps = new Map<string, MemoryMap>();

  constructor(
    private readonly runtime: MemoryRuntime,
    name: string,
  ) {
    this.name = name;
    const { manifest } = runtime;
    this.#programs = manifest.probes.map((p) => new MemoryProgram(runtime, this, p));
    for (const m of manifest.maps) {
      const perCpu = PER_CPU.has(m.bpfType);
      this.#maps.set(m.cName, new MemoryMap(m.cName, m.keySize, m.valueSize, perCpu ? runtime.cpus : 1, m.bpfType.endsWith('array')));
    }
    this.#maps.set(manifest.ringbuf.cName, new MemoryMap(manifest.ringbuf.cName, 0, 0, 1));
    this.#maps.set(manifest.dropCounter, new MemoryMap(manifest.dropCounter, 4, 8, 1, true));
  }

  programs(): MemoryProgram[] {
    return [...this.#programs];
  }

  program(name: string): MemoryProgram {
    const p = this.#programs.find((q) => q.name === name);
    if (!p) throw missing(`program '${name}' in BPF object '${this.name}'`, 'bpf_object__find_program_by_name');
    return p;
  }

  /** The program of a probe by its name in the Manifest (`begin`, `interval:s:1`). */
  probe(probeName: string): MemoryProgram {
    const p = this.#programs.find((q) => q.probe.name === probeName);
    if (!p) throw new Error(`no probe '${probeName}' (probes: ${this.#programs.map((q) => q.probe.name).join(', ')})`);
    return p;
  }

  map(name: string): MemoryMap {
    const m = this.findMap(name);
    if (!m) throw missing(`map '${name}' in BPF object '${this.name}'`, 'bpf_object__find_map_by_name');
    return m;
  }

  findMap(name: string): MemoryMap | undefined {
    return this.#maps.get(name);
  }

  /** A script map's layout (`@x`). */
  mapInfo(scriptName: string): MapInfo {
    const info = this.runtime.manifest.maps.find((m) => m.name === scriptName);
    if (!info) throw new Error(`no map ${scriptName} in the Manifest`);
    return info;
  }

  /** The Manifest's action that `match` picks. */
  action(match: (a: Action) => boolean, what: string): Action {
    const action = this.runtime.manifest.actions.find(match);
    if (!action) throw new Error(`the script has no ${what}`);
    return action;
  }

  setRodata(bytes: Uint8Array): void {
    if (this.loaded) throw new Error('setRodata after load');
    this.rodata = Buffer.from(bytes);
  }

  load(_options?: LoadOptions): LoadLogs {
    if (this.loaded) throw new Error(`BPF object '${this.name}' is already loaded`);
    this.runtime.calls.push('load');
    if (this.runtime.loadFailure) throw this.runtime.loadFailure;
    this.loaded = true;
    return { all: '', verifier: new Map() };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.loaded = false;
    this.runtime.calls.push('close');
  }
}
