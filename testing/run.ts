// A script run end to end on this machine's kernel, in this process, the
// output collected instead of printed: what a plugin's or library's test does
// on a machine with BPF (root, tracefs, BTF, clang). The script should end
// by itself (`exit()`); past `timeoutMs` it is ended as Ctrl-C ends it.
import { resolve } from 'node:path';
import { CompileError, formatDiagnostic } from '../core/diagnostics/index.ts';
import { compileScript, runCompiled } from '../core/session/index.ts';
import { createBpfscript } from '../cli/plugins.ts';
import { packageMap, type TestEnvOptions } from './compile.ts';

export interface RunResult {
  /** The exit code bpfscript would exit with. */
  code: number;
  /** What the script printed (printf, print, maps at exit...). */
  stdout: string;
  /** Messages: warnings, errors, `Attached N probes` unless `quiet`. */
  stderr: string;
}

export interface RunForTestOptions extends Omit<TestEnvOptions, 'formats' | 'kernelTypes'> {
  /** Output format, as `-f` (default `text`). */
  format?: string;
  /** Leaves out `Attached N probes`, as `-q` (default true). */
  quiet?: boolean;
  /** Ends the run as Ctrl-C does after this long (default 10 s). */
  timeoutMs?: number;
}

/** Whether this process can load BPF programs (root): where `runForTest` can run. */
export function canRunBpf(): boolean {
  return process.getuid?.() === 0;
}

export async function runForTest(script: string, opts: RunForTestOptions = {}): Promise<RunResult> {
  const sources = new Map([['stdin', script]]);
  let stdout = '';
  let stderr = '';
  const writer = { out: (s: string) => void (stdout += s), err: (s: string) => void (stderr += s) };
  const container = await createBpfscript({ config: opts.config, plugins: opts.plugins });
  const cwd = opts.cwd ?? opts.packageDir;
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), opts.timeoutMs ?? 10_000);
  try {
    const compiled = await compileScript(container, { text: script, file: 'stdin', sources, packages: packageMap(opts), ...(cwd ? { cwd: resolve(cwd) } : {}) });
    for (const d of compiled.warnings) stderr += formatDiagnostic(d, sources);
    const code = await runCompiled(container, compiled, { writer, quiet: opts.quiet ?? true, format: opts.format, sources, stop: stop.signal });
    return { code, stdout, stderr };
  } catch (e) {
    if (e instanceof CompileError) return { code: 1, stdout, stderr: stderr + e.diagnostics.map((d) => formatDiagnostic(d, sources)).join('') };
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
