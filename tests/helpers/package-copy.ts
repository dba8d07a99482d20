// A copy of the built CLI in a temporary folder (dist/'s bundle, launcher and
// standard-library tables, with or without the build's V8 code cache; the
// standard library and node_modules linked), for tests that change what dist/
// holds, and a run of it as bin/bpfscript runs it (`node dist/launch.cjs`).
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, type RunResult } from './run.ts';

/** The package's folder; its dist/bpfscript.cjs.v8 is the build's only where `buildCodeCache` is true. */
export function packageCopy(opts: { buildCodeCache: boolean }): string {
  const pkg = mkdtempSync(join(tmpdir(), 'bpfs-package-'));
  const dist = join(pkg, 'dist');
  mkdirSync(dist);
  const files = ['bpfscript.cjs', 'launch.cjs', ...(opts.buildCodeCache ? ['bpfscript.cjs.v8'] : [])];
  for (const f of files) copyFileSync(join(repoRoot, 'dist', f), join(dist, f));
  cpSync(join(repoRoot, 'dist/stdlib-asts'), join(dist, 'stdlib-asts'), { recursive: true });
  copyFileSync(join(repoRoot, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(repoRoot, 'stdlib'), join(pkg, 'stdlib'));
  symlinkSync(join(repoRoot, 'node_modules'), join(pkg, 'node_modules'));
  return pkg;
}

/** Runs the package's CLI with `args` under `node` with `nodeFlags`; resolves when it exits. */
export function runPackage(pkg: string, args: string[], env: Record<string, string>, nodeFlags: string[] = []): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, join(pkg, 'dist/launch.cjs'), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
