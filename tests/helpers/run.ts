// Test helpers: run the built CLI as a user would, and build fixture programs.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cli = join(repoRoot, 'bin', 'bpfscript');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOpts {
  input?: string;
  timeoutMs?: number;
  /** Send this signal once stderr shows the probes are attached. */
  signalAfterAttach?: NodeJS.Signals;
  env?: Record<string, string>;
}

/** Runs `bin/bpfscript` with arguments; resolves when it exits. */
export function bpfscript(args: string[], opts: RunOpts = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { cwd: repoRoot, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (opts.signalAfterAttach && !signalled && /Attached \d+ probe/.test(stderr)) {
        signalled = true;
        setTimeout(() => child.kill(opts.signalAfterAttach), 200);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

/** How to build a fixture program other than the default (`cc -O1`): its own name suffix, compiler and flags. */
export interface FixtureBuild {
  /** Appended to the program's name (`dwarf-target.clang`), so builds of one source live side by side. */
  variant: string;
  compiler?: string;
  flags: string[];
}

/** Compiles tests/fixtures/programs/NAME.c once into .cache/fixtures/NAME[.VARIANT]; returns its path. */
export function fixtureProgram(name: string, build?: FixtureBuild): string {
  const src = join(repoRoot, 'tests', 'fixtures', 'programs', `${name}.c`);
  const outDir = join(repoRoot, '.cache', 'fixtures');
  const out = join(outDir, build ? `${name}.${build.variant}` : name);
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(outDir, { recursive: true });
    // Build under a private name, then rename: parallel test workers may race here.
    const tmp = `${out}.${process.pid}`;
    execFileSync(build?.compiler ?? 'cc', [...(build?.flags ?? ['-O1']), '-o', tmp, src]);
    renameSync(tmp, out);
  }
  return out;
}

/**
 * Compiles fixture sources (names in tests/fixtures/programs) with `flags`
 * into .cache/fixtures/OUT once, rebuilt when a source changes; returns its
 * path. For builds fixtureProgram does not make: PIE and non-PIE
 * executables, shared libraries, C++.
 */
export function fixtureBuild(out: string, sources: string[], flags: string[], compiler = 'cc'): string {
  const srcs = sources.map((s) => join(repoRoot, 'tests', 'fixtures', 'programs', s));
  const outDir = join(repoRoot, '.cache', 'fixtures');
  const path = join(outDir, out);
  if (!existsSync(path) || srcs.some((s) => statSync(path).mtimeMs < statSync(s).mtimeMs)) {
    mkdirSync(outDir, { recursive: true });
    const tmp = `${path}.${process.pid}`;
    execFileSync(compiler, ['-o', tmp, ...srcs, ...flags]);
    renameSync(tmp, path);
  }
  return path;
}

