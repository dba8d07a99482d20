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
  /** The program (function name) whose load failed, when known. */
  readonly program?: string;

  constructor(message: string, details: { op: string; errno: number; code: string; log?: string; verifierLog?: string; program?: string }) {
    super(message);
    this.name = 'RuntimeError';
    this.op = details.op;
    this.errno = details.errno;
    this.code = details.code;
    this.log = details.log ?? '';
    this.verifierLog = details.verifierLog;
    this.program = details.program;
  }
}

/** A map of a loaded object. Keys and values are raw bytes laid out as the Manifest says. */
export interface RuntimeMap {
  /** The map's symbol in the object (`.rodata` and such for internal maps). */
  readonly name: string;
  /** Key size in bytes. */
  readonly keySize: number;
  /** Value size of one CPU's copy. */
  readonly valueSize: number;
  /** Bytes between CPU copies in a per-CPU value (`valueSize` rounded up to 8); `valueSize` for other maps. */
  readonly valueStride: number;
  /** Number of value copies per entry: the possible CPUs for per-CPU maps, else 1. */
  readonly copies: number;
  /** The value (all CPU copies, `copies * valueStride` bytes for per-CPU maps), or undefined when the key is absent. */
  lookup(key: Uint8Array): Uint8Array | undefined;
  /** Stores a value (all CPU copies) under a key, creating the entry if needed. */
  update(key: Uint8Array, value: Uint8Array): void;
  /** Whether the key was there. */
  delete(key: Uint8Array): boolean;
  /** Every entry (batched where the kernel can), values with all CPU copies. */
  entries(): { key: Uint8Array; value: Uint8Array }[];
  /**
   * Every entry as `entries()` reads them, left packed in two buffers: key i is
   * `keySize` bytes at `keys[i * keySize]`, value i (all CPU copies) `valueBytes`
   * bytes at `values[i * valueBytes]`. Optional: whole-map reads use it, when a
   * runtime has it, to make no object per entry.
   */
  packedEntries?(): { keys: Uint8Array; values: Uint8Array; count: number; keySize: number; valueBytes: number };
  /** Deletes every entry (array maps: zeroes every element). */
  clear(): void;
  /** Sets every value to zero and keeps the keys. */
  zero(): void;
}

/** What `-v` reports of a loaded program. */
export interface ProgramDetails {
  /** The kernel's id of the program. */
  id?: number;
  /** Its size as compiled, in instructions. */
  instructions?: number;
  /** The same in bytes. */
  bytes?: number;
}

/** A program of an opened object: attach methods for providers, plus what the session does itself. */
export interface RuntimeProgram extends AttachableProgram {
  /** ELF section, as the Manifest's ProbeInfo has it. */
  readonly section: string;
  /** Programs of linked C units are not the script's probes: they stay unloaded. Before load only. */
  setAutoload(autoload: boolean): void;
  /** After load: the kernel's program id and the size the compiler gave it (`-v`). */
  details(): ProgramDetails;
  /**
   * Runs the program `repeat` times in the kernel (BPF_PROG_TEST_RUN with a
   * packet for its input, for programs of a packet type: the `xdp` section of
   * `test:` and `bench:` probes). Its last return value and the kernel's mean
   * time per run.
   */
  timedRun(repeat: number): TimedRun;
}

/** What `RuntimeProgram.timedRun` measured. */
export interface TimedRun {
  /** The program's return value (of its last run). */
  retval: number;
  /** Mean time of one run, in nanoseconds, as the kernel measured it. */
  durationNs: number;
}

/** What loading printed, when asked for (`-v`, `-d libbpf`, `-d verifier`). */
export interface LoadLogs {
  /** Everything the runtime logged while loading (`-d libbpf`); empty when not asked for. */
  all: string;
  /** The verifier's log by program name; empty when not asked for. */
  verifier: Map<string, string>;
}

/** What `RuntimeObject.load` should keep of the logs. */
export interface LoadOptions {
  /** The verifier's log per program: `stats` (`-v`) or the whole trace (`-d verifier`). */
  verifierLog?: 'stats' | 'full';
  /** Capture the runtime's whole log (`-d libbpf`). */
  runtimeLog?: boolean;
  /**
   * Bytes of each program's verifier log buffer (`log_size`,
   * BPFTRACE_LOG_SIZE). A log that does not fit fails the load with ENOSPC,
   * as the kernel does; without it the runtime picks the size.
   */
  logSize?: number;
}

/** A compiled BPF object, opened; loaded by `load`, released by `close`. */
export interface RuntimeObject {
  /** The object's name (the one given to `open`). */
  readonly name: string;
  /** Every program of the object, in the object's order. */
  programs(): RuntimeProgram[];
  /** A program by function name; throws a RuntimeError when absent. */
  program(name: string): RuntimeProgram;
  /** A map by its symbol; throws a RuntimeError when absent. */
  map(name: string): RuntimeMap;
  /** A map by its symbol, or undefined when absent. */
  findMap(name: string): RuntimeMap | undefined;
  /** Writes the `const volatile` run-time settings (`.rodata`) before load. */
  setRodata(bytes: Uint8Array): void;
  /** Sets a map's max_entries (a ring buffer's size in bytes) before load. */
  setMapMaxEntries?(name: string, entries: number): void;
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
  /** Stops and releases the buffer's mapping; records left are dropped. */
  close(): void;
}

/** Gets one record: `length` bytes of `view` at `offset`, valid only during the call. */
export type RecordHandler = (view: DataView, offset: number, length: number) => void;

/** The kernel's BPF features, probed for real (`--info`); names as bpftrace's report has them. */
export interface KernelFeatures {
  /** Helpers by name, and whether programs may call them. */
  helpers: [name: string, available: boolean][];
  /** The verifier's instruction limit (-1 when it could not be read). */
  instructionLimit: number;
  /** Bounded loops are accepted. */
  loops: boolean;
  /** The kernel has BTF. */
  btf: boolean;
  /** Modules have BTF too. */
  moduleBtf: boolean;
  /** Maps are read in batches. */
  mapBatch: boolean;
  /** uprobes take a reference counter (USDT semaphores). */
  uprobeRefcount: boolean;
  /** Map types by name, and whether they can be created. */
  maps: [name: string, available: boolean][];
  /** Probe types by name, and whether they load and attach. */
  probes: [name: string, available: boolean][];
}

/** A clock the runtime reads for timestamps. */
export type ClockName = 'realtime' | 'boottime' | 'monotonic';

/** The layer that loads, attaches, reads maps and carries events (bound to `Services.Runtime`). */
export interface Runtime {
  /** What `--info` calls it (`libbpf`). */
  readonly name: string;
  /** Its version for `--info` (`1.1`). */
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
  /** perf_event_open(2) for providers (AttachEnv); the event's file descriptor. */
  perfEventOpen(options: PerfEventOptions): number;
  /** Closes a file descriptor `perfEventOpen` gave. */
  closeFd(fd: number): void;
  /** The CPUs online now. */
  onlineCpus(): number[];
  /** The CPUs the kernel may ever use (the copies of a per-CPU value). */
  possibleCpus(): number;
  /** The text of an errno (strerror, and the runtime's own codes). */
  errnoMessage(errno: number): string;
  /** A clock's current value in nanoseconds. */
  clockNs(clock: ClockName): bigint;
  /** strftime(3) in the local time zone, for seconds since the epoch; undefined when the text does not fit. */
  strftime(format: string, epochSeconds: bigint, maxBytes?: number): string | undefined;
  /** Probes the kernel's BPF features; `off` lists features reported absent (`--no-feature`). */
  features(off?: ReadonlySet<string>): KernelFeatures;
  /** Whether a program of ELF section `section` (`tracepoint/...`, `iter/task`) may call kfunc `name` (false when the kernel has no such kfunc). */
  kfuncAllowed(name: string, section: string): boolean;
}
