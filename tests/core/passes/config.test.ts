// The config pass: `config = { ... }` and BPFTRACE_* variables over the defaults.
import test from 'ava';
import { parse } from '../../../core/syntax/index.ts';
import type * as A from '../../../core/syntax/ast.ts';
import { applyConfig, configVariables, type ConfigOptions } from '../../../core/passes/config/index.ts';
import { formatDiagnostic } from '../../../core/diagnostics/index.ts';
import { defaultConfig, type RuntimeConfig } from '../../../sdk/index.ts';
import { diagnostics } from './helpers.ts';

function blockOf(src: string): A.ConfigBlock | undefined {
  return parse(src, 'stdin').items.find((i): i is A.ConfigBlock => i.kind === 'ConfigBlock');
}

function configOf(src: string, opts: ConfigOptions = {}): RuntimeConfig {
  return applyConfig(blockOf(src), defaultConfig, { aslr: true, ...opts }).config;
}

function errorOf(src: string, opts: ConfigOptions = {}): string {
  return diagnostics(() => applyConfig(blockOf(src), defaultConfig, { aslr: true, ...opts }), { stdin: src });
}

test('a key may be written max_strlen, MAX_STRLEN or BPFTRACE_MAX_STRLEN', (t) => {
  for (const key of ['max_strlen', 'MAX_STRLEN', 'BPFTRACE_MAX_STRLEN', 'bpftrace_Max_Strlen']) {
    t.is(configOf(`config = { ${key} = 128 } begin { }`).maxStrlen, 128, key);
  }
});

const settings: [string, Partial<RuntimeConfig>][] = [
  ['cache_user_symbols = "PER_PROGRAM"', { cacheUserSymbols: 'PER_PROGRAM' }],
  ['cache_user_symbols = NONE', { cacheUserSymbols: 'NONE' }],
  ['cache_user_symbols = 0', { cacheUserSymbols: 'NONE' }],
  ['cpp_demangle = false', { cppDemangle: false }],
  ['lazy_symbolication = 1', { lazySymbolication: true }],
  ['license = "Dual BSD/GPL"', { license: 'Dual BSD/GPL' }],
  ['log_size = 150', { logSize: 150 }],
  ['max_bpf_progs = 10', { maxBpfProgs: 10 }],
  ['max_cat_bytes = 0x100', { maxCatBytes: 256 }],
  ['max_map_keys = 2', { maxMapKeys: 2 }],
  ['max_probes = 7', { maxProbes: 7 }],
  ['max_strlen = 16', { maxStrlen: 16 }],
  ['missing_probes = warn', { missingProbes: 'warn' }],
  ['missing_probes = "IGNORE"', { missingProbes: 'ignore' }],
  ['on_stack_limit = 64', { onStackLimit: 64 }],
  ['perf_rb_pages = 8', { perfRbPages: 8, ringbufSize: 8 * 4096 }],
  ['print_maps_on_exit = false', { printMapsOnExit: false }],
  ['print_maps_on_exit = 0', { printMapsOnExit: false }],
  ['show_debug_info = false', { showDebugInfo: false }],
  ['stack_mode = perf', { stackMode: 'perf' }],
  ['str_trunc_trailer = ""', { strTruncTrailer: '' }],
  ['use_blazesym = true', { useBlazesym: true }],
  ['unstable_tseries = enable', { unstable: { ...defaultConfig.unstable, tseries: 'enable' } }],
  ['unstable_typeinfo = error', { unstable: { ...defaultConfig.unstable, typeinfo: 'error' } }],
  ['unstable_import_statement = 1', { unstable: { ...defaultConfig.unstable, import_statement: 'enable' } }],
];

for (const [entry, want] of settings) {
  test(`config = { ${entry} }`, (t) => {
    t.like(configOf(`config = { ${entry} } begin { }`), want);
  });
}

test('every documented config variable can be set', (t) => {
  const names = configVariables.map((v) => v.name).sort();
  t.deepEqual(names, [
    'cache_user_symbols', 'cpp_demangle', 'lazy_symbolication', 'license', 'log_size', 'max_bpf_progs', 'max_cat_bytes',
    'max_map_keys', 'max_probes', 'max_strlen', 'missing_probes', 'on_stack_limit', 'perf_rb_pages', 'print_maps_on_exit',
    'show_debug_info', 'stack_mode', 'str_trunc_trailer', 'unstable_addr', 'unstable_dw_ustack', 'unstable_import',
    'unstable_import_statement', 'unstable_map_decl', 'unstable_tseries', 'unstable_typeinfo', 'use_blazesym',
  ]);
});

test('no config block: the defaults, and the base is never changed', (t) => {
  const base = { ...defaultConfig, maxStrlen: 99 };
  const { config } = applyConfig(undefined, base, { aslr: true });
  t.like(config, { maxStrlen: 99, printMapsOnExit: true });
  applyConfig(blockOf('config = { max_strlen = 5; unstable_tseries = enable } begin { }'), base, { aslr: true });
  t.is(base.maxStrlen, 99);
  t.is(base.unstable.tseries, 'warn');
});

test('environment variables win over the config block', (t) => {
  const env = { BPFTRACE_MAX_STRLEN: '200', BPFTRACE_PRINT_MAPS_ON_EXIT: 'true', BPFTRACE_STACK_MODE: 'raw', MAX_STRLEN: '1' };
  t.like(configOf('config = { max_strlen = 16; print_maps_on_exit = false; stack_mode = perf } begin { }', { env }), {
    maxStrlen: 200,
    printMapsOnExit: true,
    stackMode: 'raw',
  });
  t.is(configOf('begin { }', { env: { BPFTRACE_MISSING_PROBES: 'ignore' } }).missingProbes, 'ignore');
});

test('cache_user_symbols defaults to PER_PROGRAM with -c or without ASLR, else PER_PID', (t) => {
  t.is(configOf('begin { }').cacheUserSymbols, 'PER_PID');
  t.is(configOf('begin { }', { hasChildProcess: true }).cacheUserSymbols, 'PER_PROGRAM');
  t.is(configOf('begin { }', { aslr: false }).cacheUserSymbols, 'PER_PROGRAM');
  t.is(configOf('config = { cache_user_symbols = PER_PID } begin { }', { hasChildProcess: true }).cacheUserSymbols, 'PER_PID');
});

test('renamed keys still work, with a warning', (t) => {
  const src = 'config = { strlen = 16; no_cpp_demangle = 1 } begin { }';
  const { config, warnings } = applyConfig(blockOf(src), defaultConfig, { aslr: true });
  t.like(config, { maxStrlen: 16, cppDemangle: false });
  t.is(warnings.map((w) => formatDiagnostic(w, new Map([['stdin', src]]))).join(''),
    'stdin:1:12-23: WARNING: strlen: key has been renamed to \'max_strlen\'\n' +
      'config = { strlen = 16; no_cpp_demangle = 1 } begin { }\n' +
      '           ~~~~~~~~~~~\n' +
      'stdin:1:25-44: WARNING: no_cpp_demangle: key has been renamed to \'cpp_demangle\'\n' +
      'config = { strlen = 16; no_cpp_demangle = 1 } begin { }\n' +
      '                        ~~~~~~~~~~~~~~~~~~~\n');
});

test('symbol_source is accepted with a warning and has no effect', (t) => {
  const { config, warnings } = applyConfig(blockOf('config = { symbol_source = "symbol_table" } begin { }'), defaultConfig, { aslr: true });
  t.deepEqual(config, applyConfig(undefined, defaultConfig, { aslr: true }).config);
  t.deepEqual(warnings.map((w) => w.message), ['symbol_source is deprecated and has no effect']);
});

const errors: [string, string, string][] = [
  [
    'unknown key',
    'config = { BAD_CONFIG=1 } begin { }',
    'stdin:1:12-24: ERROR: BAD_CONFIG: not a known configuration option\n' +
      'config = { BAD_CONFIG=1 } begin { }\n' +
      '           ~~~~~~~~~~~~\n',
  ],
  [
    'a string for a number',
    'config = { BPFTRACE_MAX_PROBES = "hello" } begin { }',
    'stdin:1:12-41: ERROR: BPFTRACE_MAX_PROBES: expecting a number, got hello\n' +
      'config = { BPFTRACE_MAX_PROBES = "hello" } begin { }\n' +
      '           ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n',
  ],
  [
    'an environment-only key',
    'config = { kernel_build=1 } begin { }',
    'stdin:1:12-26: ERROR: kernel_build: can only be set as an environment variable\n' +
      'config = { kernel_build=1 } begin { }\n' +
      '           ~~~~~~~~~~~~~~\n',
  ],
  [
    'a bad bool',
    'config = { print_maps_on_exit = maybe } begin { }',
    'stdin:1:12-38: ERROR: print_maps_on_exit: Invalid bool value: valid values are true, false, 1 or 0.\n' +
      'config = { print_maps_on_exit = maybe } begin { }\n' +
      '           ~~~~~~~~~~~~~~~~~~~~~~~~~~\n',
  ],
  [
    'a bad missing_probes',
    'config = { missing_probes = sometimes } begin { }',
    'stdin:1:12-38: ERROR: missing_probes: Invalid value for missing_probes: valid values are ignore, warn, and error.\n' +
      'config = { missing_probes = sometimes } begin { }\n' +
      '           ~~~~~~~~~~~~~~~~~~~~~~~~~~\n',
  ],
  [
    'a bad stack_mode',
    'config = { stack_mode = fancy } begin { }',
    'stdin:1:12-30: ERROR: stack_mode: Invalid value for stack_mode: valid values are bpftrace, perf, raw, and build_id.\n' +
      'config = { stack_mode = fancy } begin { }\n' +
      '           ~~~~~~~~~~~~~~~~~~\n',
  ],
  [
    'perf_rb_pages not a power of two',
    'config = { perf_rb_pages = 3 } begin { }',
    'stdin:1:12-29: ERROR: perf_rb_pages: expecting a power of two, got 3\n' +
      'config = { perf_rb_pages = 3 } begin { }\n' +
      '           ~~~~~~~~~~~~~~~~~\n',
  ],
  [
    'every error at once',
    'config = { nope = 1; max_strlen = x } begin { }',
    'stdin:1:12-20: ERROR: nope: not a known configuration option\n' +
      'config = { nope = 1; max_strlen = x } begin { }\n' +
      '           ~~~~~~~~\n' +
      'stdin:1:22-36: ERROR: max_strlen: expecting a number, got x\n' +
      'config = { nope = 1; max_strlen = x } begin { }\n' +
      '                     ~~~~~~~~~~~~~~\n',
  ],
];

for (const [name, src, out] of errors) {
  test(`error: ${name}`, (t) => {
    t.is(errorOf(src), out);
  });
}

test('error: a bad license lists the valid ones, in upstream\'s words and order', (t) => {
  t.regex(errorOf('config = { license = "MIT" } begin { }'), /^stdin:1:12-27: ERROR: Invalid value for license\. Found: MIT\. Valid values: Dual MIT\/GPL, Dual BSD\/GPL, Dual MPL\/GPL, GPL and additional rights, GPL v2, GPL\. /);
});

test('error: a bad environment variable has no location', (t) => {
  t.is(errorOf('begin { }', { env: { BPFTRACE_MAX_STRLEN: 'abc' } }), 'ERROR: BPFTRACE_MAX_STRLEN: expecting a number, got abc\n');
});
