// An in-memory Runtime for session tests: objects, programs, maps and the
// ring buffer live in this process, and nothing reaches a kernel (no root, no
// BPF). Programs do nothing by themselves: a test scripts what a probe's
// program does when it runs (begin/end when the session test-runs them,
// attached probes when the test fires them), in terms of the compiled
// Manifest: records for its action ids laid out as its ArgLayouts say, map
// entries laid out as its MapInfos say. Clocks, strftime(3) and errno texts
// are the host's (libc, through the given runtime; no kernel involved).
import { RuntimeError, type EventStream, type KernelFeatures, type PerfEventOptions, type RecordHandler, type Runtime, type RuntimeMap, type RuntimeObject } from '../../sdk/index.ts';
import type { Manifest } from '../../core/manifest/index.ts';
import { MemoryEvents } from './events.ts';
import { MemoryObject } from './object.ts';
import type { ProgramRun } from './program-run.ts';

/** The user-space half of a runtime: what needs no kernel. */
export type HostFunctions = Pick<Runtime, 'errnoMessage' | 'clockNs' | 'strftime'>;

/** What a scripted program does when it runs; what it returns is the program's return value (0 when nothing). */
export type ProgramScript = (k: ProgramRun) => number | void;

const EOPNOTSUPP = 95;

export class MemoryRuntime implements Runtime {
  readonly name = 'memory';
  readonly version = '1';
  /** What the session did, in order: `load`, `run begin`, `attach interval:s:1 (perf_event fd 100)`, `detach ...`, `close`. */
  readonly calls: string[] = [];
  /** Scripts of the probes' programs by probe name. */
  readonly scripts = new Map<string, ProgramScript>();
  /** Errors that attaching a probe throws, by probe name. */
  readonly attachFailures = new Map<string, RuntimeError>();
  /** How long one run of a program takes, as a timed run (`--bench`, `--test`) reports it. */
  runDurationNs = 1000;
  /** The error load() throws, if any. */
  loadFailure: RuntimeError | undefined;
  /** The object the session opened last. */
  object: MemoryObject | undefined;
  #nextFd = 100;

  /**
   * @param manifest the compiled script's Manifest: what programs, maps and actions the object has
   * @param host clocks, strftime(3) and errno texts
   * @param cpus possible and online CPUs (the copies of a per-CPU value)
   */
  constructor(
    readonly manifest: Manifest,
    private readonly host: HostFunctions,
    readonly cpus = 2,
  ) {}

  /** What the probe's program does when it runs. */
  onRun(probeName: string, script: ProgramScript): this {
    this.scripts.set(probeName, script);
    return this;
  }

  /** Loading the object fails with `error`. */
  failLoad(error: RuntimeError): this {
    this.loadFailure = error;
    return this;
  }

  /** Attaching the probe fails with `error`. */
  failAttach(probeName: string, error: RuntimeError): this {
    this.attachFailures.set(probeName, error);
    return this;
  }

  /** The probe's event happens: its attached program runs on `cpu`. */
  fire(probeName: string, cpu = 0): void {
    const program = this.object?.probe(probeName);
    if (!program?.attached) throw new Error(`probe '${probeName}' is not attached`);
    program.run(cpu);
  }

  open(_objectPath: string, options: { name?: string } = {}): RuntimeObject {
    this.calls.push('open');
    this.object = new MemoryObject(this, options.name ?? 'memory');
    return this.object;
  }

  link(): void {
    throw new RuntimeError('the memory runtime links no objects', { op: 'link', errno: EOPNOTSUPP, code: 'EOPNOTSUPP' });
  }

  events(map: RuntimeMap, _size: number, onRecord: RecordHandler, options: { onError?(error: unknown): void } = {}): EventStream {
    if (!this.object || map !== this.object.findMap(this.manifest.ringbuf.cName)) throw new Error(`map '${map.name}' is not the ring buffer`);
    return new MemoryEvents(this.object.ring, onRecord, options.onError);
  }

  perfEventOpen(options: PerfEventOptions): number {
    const fd = this.#nextFd++;
    this.calls.push(`perf_event_open type ${options.type} cpu ${options.cpu}: fd ${fd}`);
    return fd;
  }

  closeFd(fd: number): void {
    this.calls.push(`close fd ${fd}`);
  }

  onlineCpus(): number[] {
    return Array.from({ length: this.cpus }, (_, i) => i);
  }

  possibleCpus(): number {
    return this.cpus;
  }

  errnoMessage(errno: number): string {
    return this.host.errnoMessage(errno);
  }

  clockNs(clock: 'realtime' | 'boottime' | 'monotonic'): bigint {
    return this.host.clockNs(clock);
  }

  strftime(format: string, epochSeconds: bigint, maxBytes?: number): string | undefined {
    return this.host.strftime(format, epochSeconds, maxBytes);
  }

  features(): KernelFeatures {
    throw new Error('the memory runtime has no kernel to probe');
  }

  /** Kfuncs the test declares allowed, as `name` or `name@section-prefix`. */
  readonly allowedKfuncs = new Set<string>();

  kfuncAllowed(name: string, section: string): boolean {
    return this.allowedKfuncs.has(name) || this.allowedKfuncs.has(`${name}@${section.split('/')[0]}`);
  }
}
