// A script compiled the way the CLI compiles it (imports, the package's
// plugin, macros, providers, type pass, C generation), in this process and
// without the kernel: tracefs and kernel types are the fixed ones of
// fixed-env (plus the tracepoint format files a test gives), so a plugin or a
// library is tested anywhere. The package under test is found by its name,
// as its users import it.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Container } from 'inversify';
import { Services, type BpfscriptPlugin, type KernelTypes, type RuntimeConfig } from '../sdk/index.ts';
import type { Manifest } from '../core/manifest/index.ts';
import { CompileError, formatDiagnostic, type Diagnostic } from '../core/diagnostics/index.ts';
import { NoProbesError } from '../core/probes/index.ts';
import { compileGenerated, compileScript, type CompiledScript } from '../core/session/index.ts';
import { BuildError } from '../core/build/index.ts';
import { createBpfscript } from '../cli/plugins.ts';
import { FixedTracefs, fixedKernelTypes } from './fixed-env/index.ts';

export interface TestEnvOptions {
  /** The folder of the package under test: scripts `import "<its name>";` as its users do. */
  packageDir?: string;
  /** Plugins loaded besides bpfscript's own (a plugin under test that is not in a package). */
  plugins?: readonly BpfscriptPlugin[];
  /** Tracepoint format files besides the fixed ones (`category:event` -> the text of its `format` file). */
  formats?: Readonly<Record<string, string>>;
  /** Kernel types instead of the fixed ones (`struct task_struct`, `struct sched_entity`). */
  kernelTypes?: KernelTypes;
  /** Settings, as the command line would give them. */
  config?: Partial<RuntimeConfig>;
  /** Where the script's relative imports start (default: the package's folder, else the process's). */
  cwd?: string;
}

/** A diagnostic as tests compare it: the message and where (1-based), as the CLI prints them. */
export interface TestDiagnostic {
  severity: Diagnostic['severity'];
  message: string;
  file?: string;
  line?: number;
  col?: number;
  endLine?: number;
  endCol?: number;
}

export type CompileOutcome =
  | {
    ok: true;
    /** The generated C unit. */
    c: string;
    manifest: Manifest;
    warnings: TestDiagnostic[];
    /** The warnings as the CLI prints them. */
    text: string;
    compiled: CompiledScript;
  }
  | {
    ok: false;
    errors: TestDiagnostic[];
    /** The diagnostics as the CLI prints them (`stdin:1:9-13: ERROR: ...` with the line and its marks). */
    text: string;
  };

function flat(d: Diagnostic): TestDiagnostic {
  const out: TestDiagnostic = { severity: d.severity, message: d.message };
  if (d.span) Object.assign(out, { file: d.span.file, line: d.span.line, col: d.span.col, endLine: d.span.endLine, endCol: d.span.endCol });
  return out;
}

/** The name of the package in `dir` (its package.json's). */
export function packageName(dir: string): string {
  const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
  if (typeof json.name !== 'string') throw new Error(`${join(dir, 'package.json')} has no "name"`);
  return json.name;
}

/** A session container on the fixed environment, with the plugins under test. */
export async function fixedContainer(opts: TestEnvOptions): Promise<Container> {
  const container = await createBpfscript({ config: opts.config, plugins: opts.plugins });
  container.rebind(Services.Tracefs).toConstantValue(new FixedTracefs(opts.formats));
  container.rebind(Services.KernelTypes).toConstantValue(opts.kernelTypes ?? fixedKernelTypes);
  return container;
}

/** The packages a script may import by name: the one under test. */
export function packageMap(opts: TestEnvOptions): Map<string, string> {
  const map = new Map<string, string>();
  if (opts.packageDir) map.set(packageName(opts.packageDir), resolve(opts.packageDir));
  return map;
}

/**
 * Compiles `script` (named `stdin` in diagnostics, as `-e` scripts are) to its
 * C unit and Manifest, or to the diagnostics that refuse it. `clang: true`
 * also compiles the C to a BPF object (needs clang and the kernel's BTF for
 * vmlinux.h), so C a builtin emits is checked too.
 */
export async function compileForTest(script: string, opts: TestEnvOptions & { clang?: boolean; container?: Container } = {}): Promise<CompileOutcome> {
  const sources = new Map([['stdin', script]]);
  const container = opts.container ?? await fixedContainer(opts);
  const cwd = opts.cwd ?? opts.packageDir;
  try {
    const compiled = await compileScript(container, { text: script, file: 'stdin', sources, packages: packageMap(opts), ...(cwd ? { cwd: resolve(cwd) } : {}) });
    if (opts.clang) compileGenerated(compiled);
    const warnings = compiled.warnings.map(flat);
    const text = compiled.warnings.map((d) => formatDiagnostic(d, sources)).join('');
    return { ok: true, c: compiled.c, manifest: compiled.manifest, warnings, text, compiled };
  } catch (e) {
    if (e instanceof CompileError) return { ok: false, errors: e.diagnostics.filter((d) => d.severity !== 'WARNING').map(flat), text: e.diagnostics.map((d) => formatDiagnostic(d, sources)).join('') };
    if (e instanceof NoProbesError) return { ok: false, errors: [{ severity: 'ERROR', message: e.message }], text: `${e.warnings.map((d) => formatDiagnostic(d, sources)).join('')}${e.message}\n` };
    if (e instanceof BuildError) return { ok: false, errors: [{ severity: 'ERROR', message: `${e.message}\n${e.output}` }], text: `ERROR: ${e.message}\n${e.output}` };
    throw e;
  }
}
