// Test helper: a fixture program running in the background for tests that
// trace a process by pid (-p), optionally in a mount namespace of its own.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureProgram } from './run.ts';

export interface Background {
  pid: number;
  stop(): void;
}

function waitForExec(child: ChildProcess, binary: string): Promise<number> {
  // The pid is the program's once it runs the binary (not the shell or unshare starting it).
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const pids = [child.pid!, ...childPids(child.pid!)];
      for (const pid of pids) {
        try {
          if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === binary) return resolve(pid);
        } catch {
          // gone or not ours yet
        }
      }
      if (Date.now() - started > 10_000) return reject(new Error(`${binary} did not start`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

function childPids(pid: number): number[] {
  const r = spawnSync('ps', ['--ppid', String(pid), '-o', 'pid='], { encoding: 'utf8' });
  return r.stdout.split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
}

/** Runs fixture NAME with `args` until stop(). */
export async function startFixture(name: string, args: string[] = []): Promise<Background> {
  const binary = fixtureProgram(name);
  const child = spawn(binary, args, { stdio: 'ignore' });
  const pid = await waitForExec(child, binary);
  return { pid, stop: () => child.kill('SIGKILL') };
}

/**
 * Runs fixture NAME in a new mount namespace where a fresh tmpfs is mounted
 * on `dir` (empty in ours) and the binary is copied there: it exists only in
 * the process's namespace, at `${dir}/${name}`.
 */
export async function startFixtureInMountNamespace(name: string, args: string[] = []): Promise<Background & { dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-mntns-'));
  const staging = mkdtempSync(join(tmpdir(), 'bpfscript-mntns-src-'));
  copyFileSync(fixtureProgram(name), join(staging, name));
  const path = join(dir, name);
  const script = `mount -t tmpfs none '${dir}' && cp '${join(staging, name)}' '${path}' && exec '${path}' ${args.map((a) => `'${a}'`).join(' ')}`;
  const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { stdio: 'ignore' });
  const pid = await waitForExec(child, path);
  return { pid, dir, path, stop: () => child.kill('SIGKILL') };
}
