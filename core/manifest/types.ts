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
  | { kind: 'pointer'; pointee: string } // printed in hex
  | { kind: 'tuple'; elements: FieldLayout[]; size: number }
  | { kind: 'record'; fields: NamedFieldLayout[]; size: number }
  | { kind: 'struct'; name: string; fields: NamedFieldLayout[]; size: number }
  | { kind: 'array'; element: ValueType; length: number; size: number }
  | { kind: 'none' };

export interface IntType {
  kind: 'int';
  size: 1 | 2 | 4 | 8;
  signed: boolean;
  /** Enum name: the value prints symbolically with `%s` and `print`. */
  enumName?: string;
}

export interface FieldLayout {
  type: ValueType;
  offset: number;
}
export interface NamedFieldLayout extends FieldLayout {
  name: string;
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
  | { kind: 'lhist'; min: bigint; max: bigint; step: bigint };

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

/** One argument of a printf-like action inside its event record. */
export interface ArgLayout {
  type: ValueType;
  offset: number;
}

export type Action =
  | { kind: 'printf'; id: number; format: string; args: ArgLayout[] } // printf, also errorf/warnf/cat/system later
  | { kind: 'print_value'; id: number; arg: ArgLayout }
  | { kind: 'print_map'; id: number; map: string; top: number; div: number }
  | { kind: 'clear'; id: number; map: string }
  | { kind: 'zero'; id: number; map: string }
  | { kind: 'exit'; id: number } // the exit code is the u64 at offset 8
  | { kind: 'time'; id: number; format: string };

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
}
