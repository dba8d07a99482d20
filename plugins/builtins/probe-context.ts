// What the probe itself knows, under stdlib/probe.bt's macros:
// `__builtin_probe` (its name), `__builtin_func` (the traced function),
// `__builtin_config(key)` (a setting the program was compiled with) and, as
// upstream spells it, bare `__builtin_config` (all of them, as a record).
import { types, type Builtin, type ExpandedProbe, type BuiltinArgNode, type CheckContext, type EmitContext, type RuntimeConfig, type Span, type ValueType } from '../../sdk/index.ts';
import { expectArgCount } from './arg-checks.ts';

/** By probe group, the byte length of its longest name and function (each probe of a group asks: thousands for a libc-wide wildcard). */
const widths = new WeakMap<readonly ExpandedProbe[], Partial<Record<'name' | 'function', number>>>();

function widest(group: readonly ExpandedProbe[], what: 'name' | 'function', value: (p: ExpandedProbe) => string): number {
  const known = widths.get(group) ?? {};
  widths.set(group, known);
  return (known[what] ??= Math.max(...group.map((p) => Buffer.byteLength(value(p)))));
}

const probe: Builtin = {
  name: '__builtin_probe',
  doc: `:variant string __builtin_probe()
The full name of the probe, after wildcards are expanded; stdlib's \`probe\`.`,
  bareword: true,
  check(args, tc, span) {
    expectArgCount('__builtin_probe', args, 0, 0, tc, span);
    // As wide as the longest name of the probes sharing its program, whose C is then the same.
    return types.stringType(widest(tc.probeGroup, 'name', (p) => p.name) + 1);
  },
  emit(_args, ec) {
    return ec.probeName();
  },
};

/** Probe types that trace one function, whose name their attach point resolved (`target.function`). */
const functionProbes = new Set(['kprobe', 'kretprobe', 'uprobe', 'uretprobe', 'fentry', 'fexit']);

function tracedFunction(tc: CheckContext, span: Span): string {
  const { provider, target } = tc.probe;
  if (!functionProbes.has(provider)) return tc.fail(`The func builtin can not be used with '${provider}' probes`, span);
  if (target.function === undefined) return tc.fail(`The func builtin needs a function: no symbol contains the address of ${tc.probe.name}`, span);
  return String(target.function);
}

/**
 * The traced function's name, known when the probe is expanded (each
 * function a wildcard matches is a program of its own), so it folds to a
 * string: what bpftrace's symbolized `func` prints.
 */
const func: Builtin = {
  name: '__builtin_func',
  doc: `:variant string __builtin_func()
The name of the traced function (kprobe, kretprobe, uprobe, uretprobe,
fentry, fexit), folded when the probe is expanded; stdlib's \`func\`.`,
  bareword: true,
  check(args, tc, span) {
    expectArgCount('__builtin_func', args, 0, 0, tc, span);
    tracedFunction(tc, span);
    // As wide as the longest function of the probes sharing its program, whose C is then the same.
    return types.stringType(widest(tc.probeGroup, 'function', (p) => String(p.target.function ?? '')) + 1);
  },
  constant: (_args, tc) => String(tc.probe.target.function),
  emit() {
    throw new Error('__builtin_func is folded at compile time');
  },
};

type ConfigValue = boolean | number | string;

/** The settings `config` shows, by bpftrace's names. */
const configValues: Record<string, (c: RuntimeConfig) => ConfigValue> = {
  cpp_demangle: (c) => c.cppDemangle,
  lazy_symbolication: (c) => c.lazySymbolication,
  print_maps_on_exit: (c) => c.printMapsOnExit,
  use_blazesym: (c) => c.useBlazesym,
  show_debug_info: (c) => c.showDebugInfo,
  log_size: (c) => c.logSize,
  max_bpf_progs: (c) => c.maxBpfProgs,
  max_cat_bytes: (c) => c.maxCatBytes,
  max_map_keys: (c) => c.maxMapKeys,
  max_probes: (c) => c.maxProbes,
  max_strlen: (c) => c.maxStrlen,
  on_stack_limit: (c) => c.onStackLimit,
  perf_rb_pages: (c) => c.perfRbPages,
  str_trunc_trailer: (c) => c.strTruncTrailer,
  unstable_import_statement: (c) => c.unstable.import_statement,
  unstable_tseries: (c) => c.unstable.tseries,
  unstable_typeinfo: (c) => c.unstable.typeinfo,
  unstable_dw_ustack: (c) => c.unstable.dw_ustack,
  missing_probes: (c) => c.missingProbes,
  stack_mode: (c) => c.stackMode,
  license: (c) => c.license,
};

function configKey(key: BuiltinArgNode, tc: CheckContext): string {
  if (key.kind !== 'String') return tc.fail('__builtin_config() expects a string literal naming a setting', key.span);
  if (!Object.hasOwn(configValues, key.value)) return tc.fail(`Unknown config setting: ${key.value}`, key.span);
  return key.value;
}

function configValueType(v: ConfigValue): ValueType {
  return typeof v === 'boolean' ? types.boolType : typeof v === 'number' ? types.uint64 : types.stringType(Buffer.byteLength(v) + 1);
}

/** Every setting by name, in `config`'s order. */
function allSettings(c: RuntimeConfig): [string, ConfigValue][] {
  return Object.entries(configValues).map(([name, value]) => [name, value(c)]);
}

function settingsRecordType(c: RuntimeConfig): ValueType {
  return types.recordType(allSettings(c).map(([name, v]) => ({ name, type: configValueType(v) })));
}

/** One setting's bytes as BPF holds it: a bool byte, a little-endian uint64, a NUL-terminated string. */
function settingBytes(v: ConfigValue): Buffer {
  if (typeof v === 'boolean') return Buffer.from([v ? 1 : 0]);
  if (typeof v === 'string') return Buffer.from(`${v}\0`);
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
}

/**
 * The record of all settings as C: its bytes laid out by the record's own
 * layout, read through a union, so the C needs no member names.
 */
function settingsRecordC(c: RuntimeConfig, ec: EmitContext): string {
  const t = settingsRecordType(c);
  if (t.kind !== 'record') throw new Error('__builtin_config: a record type expected');
  const bytes = Buffer.alloc(t.size);
  allSettings(c).forEach(([, v], i) => settingBytes(v).copy(bytes, t.fields[i]!.offset));
  return `({ union { ${ec.ctype(t)} v; __u8 raw[${t.size}]; } __cfg = { .raw = { ${[...bytes].join(', ')} } }; __cfg.v; })`;
}

const config: Builtin = {
  name: '__builtin_config',
  doc: `:variant any __builtin_config(const string key)
:variant record __builtin_config
The value of setting \`key\` the program is compiled with (a bool, an integer
or a string), folded at compile time; bare, the record of all of them (as
upstream spells stdlib's \`config\`).`,
  bareword: true,
  check(args, tc, span) {
    expectArgCount('__builtin_config', args, 0, 1, tc, span);
    if (args.length === 0) return settingsRecordType(tc.config);
    return configValueType(configValues[configKey(args[0]!, tc)]!(tc.config));
  },
  constant(args, tc) {
    if (args.length === 0) return undefined;
    const v = configValues[configKey(args[0]!, tc)]!(tc.config);
    return typeof v === 'string' ? v : BigInt(v);
  },
  emit(args, ec) {
    if (args.length === 0) return settingsRecordC(ec.config, ec);
    throw new Error('__builtin_config(key) is folded at compile time');
  },
};

export const probeContextBuiltins: Builtin[] = [probe, func, config];
