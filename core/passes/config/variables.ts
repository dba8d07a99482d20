// Every config variable upstream bpftrace documents: its name, how its value
// is read, and which RuntimeConfig field it sets. Values arrive as written in
// a `config = {}` block (integer, string, bool or bare word) or as an
// environment variable's text; each parser accepts both.
import type { CacheUserSymbols, RuntimeConfig, StackMode, UnstableFeature, UnstableMode } from '../../../sdk/index.ts';

/** A value as written: `128`, `"GPL"`, `true`, `warn`. */
export type RawValue = { kind: 'number'; value: bigint } | { kind: 'text'; value: string } | { kind: 'bool'; value: boolean };

/** Thrown by a parser; the caller prefixes the key as the user wrote it. */
export class ConfigValueError extends Error {
  /** `namesVariable`: the message says which variable it is about, so the config block's error needs no `key:` before it (upstream's wording). */
  constructor(message: string, readonly namesVariable = false) {
    super(message);
  }
}

export interface ConfigVariable {
  /** Canonical name: `max_strlen` (environment variable `BPFTRACE_MAX_STRLEN`). */
  name: string;
  /** What the value means, for the docs. */
  doc: string;
  apply(config: RuntimeConfig, value: RawValue): void;
}

function describe(v: RawValue): string {
  return v.kind === 'number' ? v.value.toString() : String(v.value);
}

function asNumber(v: RawValue): number {
  let n: bigint | undefined;
  if (v.kind === 'number') n = v.value;
  else if (v.kind === 'text' && /^(0x[0-9a-f]+|\d+)$/i.test(v.value.trim())) n = BigInt(v.value.trim());
  if (n === undefined || n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ConfigValueError(`expecting a number, got ${describe(v)}`);
  return Number(n);
}

export function asBool(v: RawValue): boolean {
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'number') return v.value !== 0n;
  const s = v.value.trim().toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw new ConfigValueError('Invalid bool value: valid values are true, false, 1 or 0.');
}

function asText(v: RawValue): string {
  return v.kind === 'number' ? v.value.toString() : String(v.value);
}

function oneOf<T extends string>(what: string, v: RawValue, choices: Record<string, T>, listed: string): T {
  const found = choices[asText(v).toLowerCase()];
  if (found === undefined) throw new ConfigValueError(`Invalid value for ${what}: valid values are ${listed}.`);
  return found;
}

const licenses = ['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL'];
/** The order upstream's error lists them in (its table's iteration order), which scripts and tests match. */
const licensesAsListed = ['Dual MIT/GPL', 'Dual BSD/GPL', 'Dual MPL/GPL', 'GPL and additional rights', 'GPL v2', 'GPL'];

/** Bytes per ring-buffer page (x86-64). */
export const pageSize = 4096;

function numberVar(name: string, doc: string, set: (c: RuntimeConfig, n: number) => void): ConfigVariable {
  return { name, doc, apply: (c, v) => set(c, asNumber(v)) };
}

function boolVar(name: string, doc: string, set: (c: RuntimeConfig, b: boolean) => void): ConfigVariable {
  return { name, doc, apply: (c, v) => set(c, asBool(v)) };
}

function unstableVar(feature: UnstableFeature): ConfigVariable {
  return {
    name: `unstable_${feature}`,
    doc: `Gate for the unstable \`${feature}\` feature: \`enable\`, \`warn\` (use it, with a warning) or \`error\`.`,
    apply(c, v) {
      let mode: UnstableMode;
      if (v.kind !== 'text' || !['enable', 'warn', 'error'].includes(v.value.toLowerCase())) {
        try {
          mode = asBool(v) ? 'enable' : 'error';
        } catch {
          throw new ConfigValueError('Invalid value for unstable config: valid values are enable, warn, and error.');
        }
      } else mode = v.value.toLowerCase() as UnstableMode;
      c.unstable = { ...c.unstable, [feature]: mode };
    },
  };
}

export const configVariables: readonly ConfigVariable[] = [
  {
    name: 'cache_user_symbols',
    doc: 'User symbol cache: `PER_PROGRAM`, `PER_PID` or `NONE` (default: `PER_PROGRAM` with `-c` or without ASLR, else `PER_PID`).',
    apply(c, v) {
      if (v.kind === 'number' || asText(v) === '0' || asText(v) === '1') {
        // Upstream's old 0/1 values: 0 turns caching off, 1 keeps the default.
        if (asNumber(v) === 0) c.cacheUserSymbols = 'NONE';
        return;
      }
      c.cacheUserSymbols = oneOf<CacheUserSymbols>('cache_user_symbols', v, { per_pid: 'PER_PID', per_program: 'PER_PROGRAM', none: 'NONE' }, 'PER_PID, PER_PROGRAM, and NONE');
    },
  },
  boolVar('cpp_demangle', 'Demangle C++ symbols in user stacks.', (c, b) => (c.cppDemangle = b)),
  boolVar('lazy_symbolication', 'Symbolize user addresses on demand instead of ahead of time.', (c, b) => (c.lazySymbolication = b)),
  {
    name: 'license',
    doc: `License the BPF programs are loaded under: one of ${licenses.map((l) => `\`${l}\``).join(', ')}.`,
    apply(c, v) {
      const s = asText(v);
      if (!licenses.includes(s)) {
        throw new ConfigValueError(
          `Invalid value for license. Found: ${s}. Valid values: ${licensesAsListed.join(', ')}. Read more about BPF programs and licensing: https://docs.kernel.org/bpf/bpf_licensing.html#using-bpf-programs-in-the-linux-kernel`,
          true,
        );
      }
      c.license = s;
    },
  },
  numberVar('log_size', 'Verifier log size in bytes.', (c, n) => (c.logSize = n)),
  numberVar('max_bpf_progs', 'Most BPF programs a script may generate.', (c, n) => (c.maxBpfProgs = n)),
  numberVar('max_cat_bytes', 'Most bytes `cat()` reads.', (c, n) => (c.maxCatBytes = n)),
  numberVar('max_map_keys', 'Entries of a map that has no `let @m = ...(n)` declaration.', (c, n) => (c.maxMapKeys = n)),
  numberVar('max_probes', 'Most probes a script may attach.', (c, n) => (c.maxProbes = n)),
  numberVar('max_strlen', 'Size of strings read by `str()` and friends, in bytes.', (c, n) => (c.maxStrlen = n)),
  {
    name: 'missing_probes',
    doc: 'A probe that cannot be attached: `error`, `warn` or `ignore`.',
    apply: (c, v) => (c.missingProbes = oneOf('missing_probes', v, { error: 'error', warn: 'warn', ignore: 'ignore' }, 'ignore, warn, and error')),
  },
  numberVar('on_stack_limit', 'Largest value kept on the BPF stack, in bytes (at least 128); larger strings, tuples and records go to per-CPU scratch memory.', (c, n) => (c.onStackLimit = n)),
  {
    name: 'perf_rb_pages',
    doc: `Pages of the event ring buffer (a power of two; a page is ${pageSize} bytes).`,
    apply(c, v) {
      const n = asNumber(v);
      if (n < 1 || (n & (n - 1)) !== 0) throw new ConfigValueError(`expecting a power of two, got ${n}`);
      c.perfRbPages = n;
      c.ringbufSize = n * pageSize;
    },
  },
  boolVar('print_maps_on_exit', 'Print every map when the script ends.', (c, b) => (c.printMapsOnExit = b)),
  boolVar('show_debug_info', 'Show file and line of symbolized stack frames.', (c, b) => (c.showDebugInfo = b)),
  {
    name: 'stack_mode',
    doc: 'Default format of `kstack`/`ustack`: `bpftrace`, `perf`, `raw` or `build_id`.',
    apply: (c, v) => (c.stackMode = oneOf<StackMode>('stack_mode', v, { bpftrace: 'bpftrace', perf: 'perf', raw: 'raw', build_id: 'build_id' }, 'bpftrace, perf, raw, and build_id')),
  },
  { name: 'str_trunc_trailer', doc: 'Appended to strings that were truncated (empty for none).', apply: (c, v) => (c.strTruncTrailer = asText(v)) },
  boolVar('use_blazesym', 'Symbolize with blazesym.', (c, b) => (c.useBlazesym = b)),
  ...(['addr', 'dw_ustack', 'import', 'import_statement', 'map_decl', 'tseries', 'typeinfo'] as const).map(unstableVar),
];

/** Old names, still accepted with a warning. */
export const renamedVariables: Readonly<Record<string, { to: string; invert?: boolean }>> = {
  strlen: { to: 'max_strlen' },
  cat_bytes_max: { to: 'max_cat_bytes' },
  map_keys_max: { to: 'max_map_keys' },
  no_cpp_demangle: { to: 'cpp_demangle', invert: true },
};

/** Settings that only make sense in the environment (they are read before any script is). */
export const environmentOnly = new Set(['btf', 'color', 'debug_output', 'dummy_ts_map', 'kernel_build', 'kernel_source', 'max_ast_nodes', 'verify_llvm_ir', 'vmlinux']);

/** Accepted and ignored, with a warning. */
export const deprecatedVariables = new Set(['symbol_source']);
