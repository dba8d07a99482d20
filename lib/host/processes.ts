// What a running process maps: its executable and every file in
// /proc/PID/maps, named through /proc/PID/root so they resolve in the
// process's own mount namespace (a container's files), as bpftrace names them.
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';

/** `/proc/PID/root`: the process's view of the file system, reachable from ours. */
export function processRoot(pid: number): string {
  return `/proc/${pid}/root`;
}

/** Whether the process lives in another mount namespace than ours (false when that cannot be told). */
export function inOtherMountNamespace(pid: number): boolean {
  try {
    const ours = statSync('/proc/self/ns/mnt');
    const theirs = statSync(`/proc/${pid}/ns/mnt`);
    return ours.ino !== theirs.ino || ours.dev !== theirs.dev;
  } catch {
    return false;
  }
}

/** A path of the process's file system as reachable from ours (`/proc/PID/root/...`). */
export function pathInProcess(pid: number, path: string): string {
  const root = processRoot(pid);
  if (path.startsWith(root)) return path;
  return `${root}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** The executable and the mapped files of a process (each once, deleted files left out); [] when it is gone. */
export function mappedPaths(pid: number): string[] {
  const root = processRoot(pid);
  const paths = new Set<string>();
  try {
    const exe = readlinkSync(`/proc/${pid}/exe`);
    if (!exe.includes('(deleted)')) paths.add(root + exe);
  } catch {
    // A kernel thread or a process we may not look into: its maps tell the rest.
  }
  let maps = '';
  try {
    maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch {
    return [...paths];
  }
  for (const line of maps.split('\n')) {
    // `start-end perms offset dev inode path`; the path may hold spaces.
    const m = /^\S+ \S+ \S+ \S+ \d+\s+(\/.*)$/.exec(line);
    if (m && !m[1]!.includes('(deleted)')) paths.add(root + m[1]);
  }
  return [...paths];
}

/** Every running process's id. */
export function runningPids(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

/** The PATH a process runs with (from /proc/PID/environ), or undefined. */
export function processPathVariable(pid: number): string | undefined {
  try {
    const entry = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((e) => e.startsWith('PATH='));
    return entry?.slice('PATH='.length);
  } catch {
    return undefined;
  }
}
