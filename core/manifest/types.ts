// The Manifest: the contract between compile time and run time. The runtime and
// the output formatters never re-derive what the compiler already knew; they read
// layouts and formats from here. A Manifest plus the .bpf.o is what the compile
// cache stores.

/** A value's type with its byte layout, as stored in BPF maps and events. */
export type ValueType =
  | IntType
  | { kind: 'bool' }
  | { kind: 'string'; size: number } // fixed capacity in bytes, NUL-terminated inside
  | { kind: 'buffer'; size: number } // length-prefixed: u32 len + size bytes
  | PointerType // printed in hex
  | TupleType
  | { kind: 'record'; fields: NamedFieldLayout[]; size: number }
  | StructType
  | { kind: 'array'; element: ValueType; length: number; size: number }
  | { kind: 'none' };

/**
 * A tuple. With `render`, a value only user space can print that needs more
 * than one integer (usym(): an address and the process it belongs to): the
 * renderer of `render.kind` gets its integer elements and makes one text.
 */
export interface TupleType {
  kind: 'tuple';
  elements: FieldLayout[];
  size: number;
  render?: RenderTag;
}

/**
 * A pointer. `btfId` is the pointee's kernel BTF type (vmlinux) when known, so
 * fields can be read through it; `user` marks a user-space address (`__user`).
 */
export interface PointerType {
  kind: 'pointer';
  /** C spelling of the pointee (`struct task_struct`, `char`, `void`). */
  pointee: string;
  btfId?: number;
  user?: boolean;
  /** The pointee itself where no name spells it (`&$t` of a tuple variable). */
  target?: ValueType;
}

/**
 * A C struct or union value. Kernel structs carry their BTF id; their
 * `fields` list only what was needed (all named members once a whole value is
 * printed or stored), since kernel structs are large.
 */
export interface StructType {
  kind: 'struct';
  /** C spelling: `struct task_struct`, `union u`, or a generated name. */
  name: string;
  fields: NamedFieldLayout[];
  size: number;
  btfId?: number;
  /** Its named bitfields, for printing a whole value (C reaches them by name, never by a field's offset). */
  bitfields?: BitfieldLayout[];
}

/** A bitfield of a struct: `bitSize` bits from bit `bitOffset` of the struct, read as `type`. */
export interface BitfieldLayout {
  name: string;
  type: ValueType;
  bitOffset: number;
  bitSize: number;
}

export interface IntType {
  kind: 'int';
  size: 1 | 2 | 4 | 8;
  signed: boolean;
  /** Enum name: the value prints symbolically with `%s` and `print`. */
  enumName?: string;
  /**
   * Set on values only user space can print (ksym(), kstack, strftime()...):
   * the session has the renderer of `render.kind` turn them into text
   * before any output format sees them.
   */
  render?: RenderTag;
  /**
   * Set on timestamps of a clock other than the boot clock (`nsecs(tai)`):
   * strftime() turns boot and TAI timestamps into dates and refuses the
   * monotonic clock's, as bpftrace does.
   */
  clock?: 'monotonic' | 'tai' | 'sw_tai';
}

/**
 * Marks an integer whose printed form is made in user space by the
 * `ValueRenderer` of `kind` (sdk/actions.ts), with the renderer's parameters
 * (`{ kind: 'strftime', format }`, `{ kind: 'kstack', map, mode, limit }`).
 */
export interface RenderTag {
  kind: string;
  [param: string]: string | number | boolean;
}

export interface FieldLayout {
  type: ValueType;
  offset: number;
}
export interface NamedFieldLayout extends FieldLayout {
  name: string;
  /**
   * A tracepoint's `__data_loc` field: its 32 bits hold the data's offset
   * from the record's start (low 16) and length (high 16). Read as upstream
   * reads it: the data's address, an int64 (`str(args.name)`).
   */
  dataLoc?: boolean;
}

/** How a map's values are aggregated in the kernel and merged when read. */
export type MapValueKind =
  | { kind: 'plain'; type: ValueType } // `@x = expr`
  | { kind: 'count' }
  | { kind: 'sum'; signed: boolean }
  | { kind: 'min'; signed: boolean }
  | { kind: 'max'; signed: boolean }
  | { kind: 'avg'; signed: boolean }
  | { kind: 'stats'; signed: boolean }
  | { kind: 'hist'; bits: number } // log2 buckets, `bits` 0..5 as in hist(n, k)
  | { kind: 'lhist'; min: bigint; max: bigint; step: bigint }
  // tseries(n, interval, num[, agg]): one slot per (user key, epoch % num), where
  // epoch = boot-clock ns / interval; `agg` combines the values within an interval.
  | { kind: 'tseries'; interval: bigint; num: number; agg: TseriesAgg; signed: boolean };

/** How tseries() combines the values of one interval; `none` (no 4th argument): the latest value wins. */
export type TseriesAgg = 'none' | 'avg' | 'max' | 'min' | 'sum';

export type BpfMapType = 'hash' | 'percpu_hash' | 'lru_hash' | 'lru_percpu_hash' | 'array' | 'percpu_array';

export interface MapInfo {
  /** `@x`, or `@` for the anonymous map. */
  name: string;
  /** Symbol of the map in the BPF object. */
  cName: string;
  bpfType: BpfMapType;
  /** User key type; undefined for a scalar map (the BPF key is then a u64 0). */
  keyType?: ValueType;
  /** BPF key size in bytes (user key, plus a u64 bucket index for hist/lhist). */
  keySize: number;
  value: MapValueKind;
  /** BPF value size in bytes (per CPU for per-CPU maps). */
  valueSize: number;
  maxEntries: number;
}

/** A field of an event record (a printf argument, a value to print): its type and its offset from the record's start. */
export interface ArgLayout {
  type: ValueType;
  offset: number;
}

/**
 * An async action: what user space does with the event records that carry
 * its id. `kind` picks the ActionHandler (sdk/actions.ts) a plugin registered
 * for it; the kind's own fields (a format, argument layouts...) follow, as its
 * builtin wrote them. The typed shape of each kind lives next to the builtin
 * that emits it (`PrintfAction` in sdk/output.ts, `JoinAction` with join()...).
 */
export interface Action {
  /** The u64 every record of this action begins with. */
  id: number;
  kind: string;
}

/** One BPF program and where it attaches. `provider` names the plugin that attaches it. */
export interface ProbeInfo {
  /** The BPF program's function name in the object. */
  programName: string;
  /** ELF section (libbpf derives the program type from it). */
  section: string;
  provider: string;
  /** The expanded attach point (`tracepoint:syscalls:sys_enter_getppid`): the `probe` builtin's value. */
  name: string;
  /** Provider-specific attach data (e.g. { category, event } or { unit, period }). */
  target: Record<string, string | number>;
  /** The BPF cookie by which the program, shared by a multi-attach group, runs this probe (ExpandedProbe.multiAttach). */
  cookie?: number;
}

export interface Manifest {
  version: 1;
  /** Event record layout: every ring-buffer record begins with a u64 action id. */
  actions: Action[];
  maps: MapInfo[];
  probes: ProbeInfo[];
  /** Ring buffer symbol and size in bytes (a power of two, page multiple). */
  ringbuf: { cName: string; size: number };
  /** Names of the `const volatile` run-time settings in .rodata (cpid, ...), in layout order. */
  settings: { name: string; offset: number; size: number }[];
  /** The map that counts events dropped because the ring buffer was full. */
  dropCounter: string;
  /** Programs the probes' programs run by tail call (a shared hook's, one per number): loaded with them, never attached. */
  tailCallPrograms?: string[];
  /**
   * ARRAY maps of per-CPU probe frames (values too big for the BPF stack):
   * the loader gives each one entry per possible CPU.
   */
  frameMaps?: string[];
  /**
   * Names of the values of every enum type in an action's arguments or a
   * map's keys and values (`IntType.enumName`), so output prints them
   * symbolically: `[value (decimal), name]` pairs by enum name.
   */
  enums?: Record<string, [value: string, name: string][]>;
}

/** The Manifest's enum names as the output formats take them: enum name -> value -> enumerator. */
export function manifestEnumNames(manifest: Pick<Manifest, 'enums'>): Map<string, Map<bigint, string>> {
  const out = new Map<string, Map<bigint, string>>();
  for (const [name, values] of Object.entries(manifest.enums ?? {})) out.set(name, new Map(values.map(([v, n]) => [BigInt(v), n])));
  return out;
}
