// The runtime contract: everything a session needs from the layer that talks
// to the kernel. The built-in runtime (plugins/runtime/libbpf) implements it
// with libbpf through koffi and binds it to `Services.Runtime`; a test binds an
// in-memory one and runs compiled scripts without a kernel. The core never
// imports a runtime: it asks the container for this service.
import type { AttachableProgram, PerfEventOptions } from './provider.ts';

/**
 * A failure of the runtime or the kernel (open, load, attach, map access,
 * link). The one error type the session tells apart from its own: its
 * message is shown as `ERROR: message`, a provider may add a HINT from `op`
 * and `code`, and `-v` prints `log`.
 */
export class RuntimeError extends Error {
  /** What failed (`bpf_object__load`, `bpf_program__attach_tracepoint`, `perf_event_open`). */
  readonly op: string;
  /** Positive errno (or a runtime-specific code above the errno range). */
  readonly errno: number;
  /** The errno's name (`EPERM`, `ENOENT`; `E<n>` when unknown). */
  readonly code: string;
  /** Everything the runtime logged during the failed call (libbpf's messages, the verifier's output). */
  readonly log: string;
  /** The verifier's log of a failed program load, when there is one. */
  readonly verifierLog?: string;

  constructor(message: string, details: { op: string; errno: number; code: string; log?: string; verifierLog?: string }) {
    super(message);
    this.name = 'RuntimeError';
    this.op = details.op;
    this.errno = details.errno;
    this.code = details.code;
    this.log = details.log ?? '';
    this.verifierLog = details.verifierLog;
  }
}

/** A map of a loaded object. Keys and values are raw bytes laid out as the Manifest says. */
export interface RuntimeMap {
  readonly name: string;
  readonly keySize: number;
  /** Value size of one CPU's copy. */
  readonly valueSize: number;
  /** Bytes between CPU copies in a per-CPU value (`valueSize` rounded up to 8); `valueSize` for other maps. */
  readonly valueStride: number;
  /** Number of value copies per entry: the possible CPUs for per-CPU maps, else 1. */
  readonly copies: number;
  /** The value (all CPU copies, `copies * valueStride` bytes for per-CPU maps), or undefined when the key is absent. */
  lookup(key: Uint8Array): Uint8Array | undefined;
  update(key: Uint8Array, value: Uint8Array): void;
  /** Whether the key was there. */
  delete(key: Uint8Array): boolean;
  /** Every entry (batched where the kernel can), values with all CPU copies. */
  entries(): { key: Uint8Array; value: Uint8Array }[];
  /** Deletes every entry (array maps: zeroes every element). */
  clear(): void;
  /** Sets every value to zero and keeps the keys. */
  zero(): void;
}

/** A program of an opened object: attach methods for providers, plus what the session does itself. */
export interface RuntimeProgram extends AttachableProgram {
  /** ELF section, as the Manifest's ProbeInfo has it. */
  readonly section: string;
  /** Programs of linked C units are not the script's probes: they stay unloaded. Before load only. */
  setAutoload(autoload: boolean): void;
  /** After load: the kernel's program id and the size the compiler gave it (`-v`). */
  details(): { id?: number; instructions?: number };
}

/** What loading printed, when asked for (`-v`, `-d libbpf`, `-d verifier`). */
export interface LoadLogs {
  /** Everything the runtime logged while loading (`-d libbpf`). */
  all: string;
  /** The verifier's log by program name. */
  verifier: Map<string, string>;
}

export interface LoadOptions {
  /** The verifier's log per program: `stats` (`-v`) or the whole trace (`-d verifier`). */
  verifierLog?: 'stats' | 'full';
  /** Capture the runtime's whole log (`-d libbpf`). */
  runtimeLog?: boolean;
}

/** A compiled BPF object, opened; loaded by `load`, released by `close`. */
export interface RuntimeObject {
  readonly name: string;
  programs(): RuntimeProgram[];
  /** A program by function name; throws a RuntimeError when absent. */
  program(name: string): RuntimeProgram;
  /** A map by its symbol; throws a RuntimeError when absent. */
  map(name: string): RuntimeMap;
  findMap(name: string): RuntimeMap | undefined;
  /** Writes the `const volatile` run-time settings (`.rodata`) before load. */
  setRodata(bytes: Uint8Array): void;
  /** Loads every program and creates every map; a refusal is a RuntimeError carrying the verifier's log. */
  load(options?: LoadOptions): LoadLogs;
  /** Detaches what is still attached through it and releases everything; safe to call twice. */
  close(): void;
}

/** Records of the program's ring buffer, delivered in order on the event loop. */
export interface EventStream {
  /** Starts delivering records as they arrive. */
  start(): void;
  /** Stops delivering (records stay in the buffer). */
  stop(): void;
  /** Delivers every record in the buffer now; returns how many. */
  flush(): number;
  close(): void;
}

export type RecordHandler = (view: DataView, offset: number, length: number) => void;

/** The kernel's BPF features, probed for real (`--info`). */
export interface KernelFeatures {
  helpers: [name: string, available: boolean][];
  instructionLimit: number;
  loops: boolean;
  btf: boolean;
  moduleBtf: boolean;
  mapBatch: boolean;
  uprobeRefcount: boolean;
  maps: [name: string, available: boolean][];
  probes: [name: string, available: boolean][];
}

export type ClockName = 'realtime' | 'boottime' | 'monotonic';

export interface Runtime {
  /** Name and version for `--info` and `-V` (`libbpf 1.1.2`). */
  readonly version: string;
  /** Opens a compiled object (nothing is loaded yet). */
  open(objectPath: string, options?: { name?: string }): RuntimeObject;
  /** Joins BPF objects into `outPath` (a static link); a RuntimeError names the input at fault. */
  link(outPath: string, inputs: readonly string[]): void;
  /**
   * The records of a ring-buffer map. A handler that throws stops the
   * stream and `onError` gets the error.
   */
  events(map: RuntimeMap, size: number, onRecord: RecordHandler, options?: { onError?(error: unknown): void }): EventStream;
  perfEventOpen(options: PerfEventOptions): number;
  closeFd(fd: number): void;
  onlineCpus(): number[];
  possibleCpus(): number;
  /** The text of an errno (strerror, and the runtime's own codes). */
  errnoMessage(errno: number): string;
  /** A clock's current value in nanoseconds. */
  clockNs(clock: ClockName): bigint;
  /** strftime(3) in the local time zone, for seconds since the epoch; undefined when the text does not fit. */
  strftime(format: string, epochSeconds: bigint, maxBytes?: number): string | undefined;
  /** Probes the kernel's BPF features; `off` lists features reported absent (`--no-feature`). */
  features(off?: ReadonlySet<string>): KernelFeatures;
}
