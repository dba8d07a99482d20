// The config pass: the root script's `config = { ... }` block and the
// BPFTRACE_* environment variables applied over the command line's settings.
// Environment variables win over the script, as in bpftrace.
import { readFileSync } from 'node:fs';
import type * as A from '../../syntax/ast.ts';
import { CompileError, DiagnosticBag, type Diagnostic } from '../../diagnostics/index.ts';
import type { RuntimeConfig } from '../../../sdk/index.ts';
import { ConfigValueError, asBool, configVariables, deprecatedVariables, environmentOnly, renamedVariables, type ConfigVariable, type RawValue } from './variables.ts';

export interface ConfigOptions {
  /** Where BPFTRACE_* variables are read (default: none). */
  env?: Readonly<Record<string, string | undefined>>;
  /** `-c CMD` was given (user symbols are then cached per program). */
  hasChildProcess?: boolean;
  /** Whether address-space randomization is on; read from /proc when absent. */
  aslr?: boolean;
}

export interface ConfigResult {
  config: RuntimeConfig;
  warnings: Diagnostic[];
}

const byName = new Map(configVariables.map((v) => [v.name, v]));
const envPrefix = 'BPFTRACE_';

/** `BPFTRACE_MAX_STRLEN`, `MAX_STRLEN` and `max_strlen` all name `max_strlen`. */
export function canonicalConfigKey(key: string): string {
  const k = key.toLowerCase();
  return k.startsWith('bpftrace_') ? k.slice('bpftrace_'.length) : k;
}

function rawValue(e: A.Expr): RawValue {
  switch (e.kind) {
    case 'Integer':
      return { kind: 'number', value: e.value };
    case 'Bool':
      return { kind: 'bool', value: e.value };
    case 'String':
      return { kind: 'text', value: e.value };
    case 'Identifier':
      return { kind: 'text', value: e.name };
    default:
      return { kind: 'text', value: '' };
  }
}

function aslrEnabled(): boolean {
  try {
    return Number(readFileSync('/proc/sys/kernel/randomize_va_space', 'utf8').trim()) >= 1;
  } catch {
    return true;
  }
}

export function applyConfig(block: A.ConfigBlock | undefined, base: RuntimeConfig, opts: ConfigOptions = {}): ConfigResult {
  const config: RuntimeConfig = { ...base, unstable: { ...base.unstable } };
  const bag = new DiagnosticBag();
  const explicit = new Set<string>();
  const set = (v: ConfigVariable, value: RawValue): void => {
    v.apply(config, value);
    explicit.add(v.name);
  };

  for (const entry of block?.entries ?? []) {
    const key = canonicalConfigKey(entry.key);
    const value = rawValue(entry.value);
    try {
      const known = byName.get(key);
      if (known) {
        set(known, value);
        continue;
      }
      const renamed = renamedVariables[key];
      if (renamed) {
        bag.warning(entry.span, `${entry.key}: key has been renamed to '${renamed.to}'`);
        const target = byName.get(renamed.to)!;
        set(target, renamed.invert ? { kind: 'bool', value: !asBool(value) } : value);
      } else if (deprecatedVariables.has(key)) {
        bag.warning(entry.span, `${key} is deprecated and has no effect`);
      } else if (environmentOnly.has(key)) {
        bag.error(entry.span, `${key}: can only be set as an environment variable`);
      } else {
        bag.error(entry.span, `${entry.key}: not a known configuration option`);
      }
    } catch (e) {
      if (!(e instanceof ConfigValueError)) throw e;
      bag.error(entry.span, e.namesVariable ? e.message : `${entry.key}: ${e.message}`);
    }
  }

  for (const v of configVariables) {
    const name = `${envPrefix}${v.name.toUpperCase()}`;
    const text = opts.env?.[name];
    if (text === undefined) continue;
    try {
      set(v, { kind: 'text', value: text });
    } catch (e) {
      if (!(e instanceof ConfigValueError)) throw e;
      bag.error(undefined, `${name}: ${e.message}`);
    }
  }

  // A test aid, as upstream's (its runtime tests set it): tseries() reads its clock from this map.
  const dummyTsMap = opts.env?.[`${envPrefix}DUMMY_TS_MAP`];
  if (dummyTsMap) config.dummyTsMap = dummyTsMap;

  if (!explicit.has('cache_user_symbols')) {
    config.cacheUserSymbols = opts.hasChildProcess || !(opts.aslr ?? aslrEnabled()) ? 'PER_PROGRAM' : 'PER_PID';
  }
  if (bag.hasErrors) throw new CompileError(bag.items.filter((d) => d.severity === 'ERROR'));
  return { config, warnings: bag.items };
}
