// Lazy koffi bindings for libbpf and the few libc calls the runtime needs.
// Everything here deals in raw pointers (BigInt) and must stay inside the room:
// a wrong pointer crashes the process. Functions are bound on first use, so a
// libbpf without some symbol only fails when that feature is used.

import koffi, { type LibraryHandle, type TypeObject } from 'koffi';

/** An opaque native pointer (libbpf object, map, program, link). Never null here. */
export type Ptr = bigint;

type Signature = readonly [result: string, args: readonly string[]];

// The C prototypes we use, as koffi type strings. Pointers are `void *` on purpose:
// koffi 3 passes BigInt/Buffer/null through unchecked either way, and anonymous
// types avoid clashing with type names other rooms might register globally.
const LIBBPF = {
  libbpf_set_print: ['void *', ['void *']],
  libbpf_strerror: ['int', ['int', 'void *', 'size_t']],
  libbpf_num_possible_cpus: ['int', []],
  libbpf_major_version: ['uint32', []],
  libbpf_minor_version: ['uint32', []],

  bpf_object__open_file: ['void *', ['str', 'void *']],
  bpf_object__open_mem: ['void *', ['void *', 'size_t', 'void *']],
  bpf_object__load: ['int', ['void *']],
  bpf_object__close: ['void', ['void *']],
  bpf_object__name: ['str', ['void *']],
  bpf_object__find_map_by_name: ['void *', ['void *', 'str']],
  bpf_object__find_program_by_name: ['void *', ['void *', 'str']],
  bpf_object__next_map: ['void *', ['void *', 'void *']],
  bpf_object__next_program: ['void *', ['void *', 'void *']],

  bpf_map__name: ['str', ['void *']],
  bpf_map__fd: ['int', ['void *']],
  bpf_map__type: ['int', ['void *']],
  bpf_map__key_size: ['uint32', ['void *']],
  bpf_map__value_size: ['uint32', ['void *']],
  bpf_map__max_entries: ['uint32', ['void *']],
  bpf_map__set_max_entries: ['int', ['void *', 'uint32']],
  bpf_map__initial_value: ['void *', ['void *', 'void *']],

  bpf_program__name: ['str', ['void *']],
  bpf_program__section_name: ['str', ['void *']],
  bpf_program__fd: ['int', ['void *']],
  bpf_program__type: ['int', ['void *']],
  bpf_program__set_autoload: ['int', ['void *', 'bool']],
  bpf_program__set_attach_target: ['int', ['void *', 'int', 'str']],
  bpf_program__set_log_level: ['int', ['void *', 'uint32']],
  bpf_program__set_type: ['int', ['void *', 'int']],
  bpf_program__expected_attach_type: ['int', ['void *']],
  bpf_program__set_expected_attach_type: ['int', ['void *', 'int']],
  bpf_program__set_log_buf: ['int', ['void *', 'void *', 'size_t']],
  bpf_program__attach: ['void *', ['void *']],
  bpf_program__attach_tracepoint: ['void *', ['void *', 'str', 'str']],
  bpf_program__attach_raw_tracepoint: ['void *', ['void *', 'str']],
  bpf_program__attach_perf_event: ['void *', ['void *', 'int']],
  bpf_program__attach_uprobe: ['void *', ['void *', 'bool', 'int', 'str', 'size_t']],
  bpf_program__attach_uprobe_opts: ['void *', ['void *', 'int', 'str', 'size_t', 'void *']],
  bpf_program__attach_usdt: ['void *', ['void *', 'int', 'str', 'str', 'str', 'void *']],
  bpf_program__attach_iter: ['void *', ['void *', 'void *']],

  bpf_link__destroy: ['int', ['void *']],
  bpf_link__fd: ['int', ['void *']],

  bpf_iter_create: ['int', ['int']],
  bpf_prog_test_run_opts: ['int', ['int', 'void *']],
  bpf_prog_load: ['int', ['int', 'str', 'str', 'void *', 'size_t', 'void *']],
  bpf_map_create: ['int', ['int', 'str', 'uint32', 'uint32', 'uint32', 'void *']],

  bpf_linker__new: ['void *', ['str', 'void *']],
  bpf_linker__add_file: ['int', ['void *', 'str', 'void *']],
  bpf_linker__finalize: ['int', ['void *']],
  bpf_linker__free: ['void', ['void *']],

  libbpf_probe_bpf_prog_type: ['int', ['int', 'void *']],
  libbpf_probe_bpf_map_type: ['int', ['int', 'void *']],
  libbpf_probe_bpf_helper: ['int', ['int', 'int', 'void *']],

  bpf_map_lookup_elem: ['int', ['int', 'void *', 'void *']],
  bpf_map_update_elem: ['int', ['int', 'void *', 'void *', 'uint64']],
  bpf_map_delete_elem: ['int', ['int', 'void *']],
  bpf_map_get_next_key: ['int', ['int', 'void *', 'void *']],
  bpf_map_lookup_batch: ['int', ['int', 'void *', 'void *', 'void *', 'void *', 'void *', 'void *']],
  bpf_map_update_batch: ['int', ['int', 'void *', 'void *', 'void *', 'void *']],
  bpf_map_delete_batch: ['int', ['int', 'void *', 'void *', 'void *']],
} as const satisfies Record<string, Signature>;

const LIBC = {
  mmap: ['void *', ['void *', 'size_t', 'int', 'int', 'int', 'int64']],
  munmap: ['int', ['void *', 'size_t']],
  read: ['intptr', ['int', 'void *', 'size_t']],
  close: ['int', ['int']],
  // long syscall(long nr, ...): variadic, arguments are passed as (type, value) pairs.
  syscall: ['long', ['long', '...']],
  vsnprintf: ['int', ['void *', 'size_t', 'void *', 'void *']],
  ioctl: ['int', ['int', 'ulong', '...']],
  malloc: ['void *', ['size_t']],
  free: ['void', ['void *']],
  sysconf: ['long', ['int']],
  clock_gettime: ['int', ['int', 'void *']],
  localtime_r: ['void *', ['void *', 'void *']],
  strftime: ['size_t', ['void *', 'size_t', 'str', 'void *']],
} as const satisfies Record<string, Signature>;

/** A bound native function; `.async(...args, cb)` runs it on a koffi worker thread. */
export type NativeFn = ((...args: any[]) => any) & { async: (...args: any[]) => void };

let libbpfHandle: LibraryHandle | undefined;
let libcHandle: LibraryHandle | undefined;
const bound = new Map<string, NativeFn>();

/** The shared library names tried in order; BPFSCRIPT_LIBBPF overrides. */
function libbpfPaths(): string[] {
  const env = process.env.BPFSCRIPT_LIBBPF;
  return env ? [env] : ['libbpf.so.1', 'libbpf.so'];
}

function loadLibbpf(): LibraryHandle {
  if (libbpfHandle) return libbpfHandle;
  let last: unknown;
  for (const path of libbpfPaths()) {
    try {
      libbpfHandle = koffi.load(path);
      return libbpfHandle;
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`cannot load libbpf (${libbpfPaths().join(', ')}): ${(last as Error)?.message ?? last}`);
}

function loadLibc(): LibraryHandle {
  return (libcHandle ??= koffi.load('libc.so.6'));
}

function bind(lib: () => LibraryHandle, table: Record<string, Signature>, name: string): NativeFn {
  const key = (table === LIBC ? 'c:' : 'b:') + name;
  let fn = bound.get(key);
  if (!fn) {
    const [result, args] = table[name]!;
    fn = lib().func(name, result, [...args]) as NativeFn;
    bound.set(key, fn);
  }
  return fn;
}

/** The libbpf function `name`, bound on first use (throws if the symbol is missing). */
export function bpf<K extends keyof typeof LIBBPF>(name: K): NativeFn {
  return bind(loadLibbpf, LIBBPF, name);
}

/** The libc function `name`, bound on first use. */
export function libc<K extends keyof typeof LIBC>(name: K): NativeFn {
  return bind(loadLibc, LIBC, name);
}

/** Whether the loaded libbpf exports `name` (feature detection by binding). */
export function hasLibbpfSymbol(name: keyof typeof LIBBPF): boolean {
  try {
    bpf(name);
    return true;
  } catch {
    return false;
  }
}

/** errno of the last native call on this thread; call right after the call. */
export function lastErrno(): number {
  return koffi.errno();
}

export function setErrno(value: number): void {
  koffi.errno(value);
}

/** A writable ArrayBuffer over native memory, without copying. */
export function nativeView(ptr: Ptr, length: number): ArrayBuffer {
  return koffi.view(ptr, length);
}

/** Whether a pointer result means failure (libbpf 1.x returns NULL and sets errno). */
export function isNull(p: unknown): boolean {
  return p === null || p === undefined || p === 0n;
}

export function registerCallback(fn: Function, proto: TypeObject): bigint {
  return koffi.register(fn, koffi.pointer(proto));
}

export function unregisterCallback(ptr: bigint): void {
  koffi.unregister(ptr);
}

let printProto: TypeObject | undefined;
/** `int (*)(enum libbpf_print_level, const char *fmt, va_list ap)`; va_list decays to a pointer on x86-64. */
export function libbpfPrintProto(): TypeObject {
  return (printProto ??= koffi.proto('int', ['int', 'void *', 'void *']));
}

/** POSIX errno numbers by name, from koffi. */
export const errnoNumbers: Readonly<Record<string, number>> = koffi.os.errno;
