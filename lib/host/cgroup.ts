// Cgroups on this machine, as bpftrace sees them: a cgroup's id is the inode
// number of its folder in a cgroup file system, hierarchies are found in
// /proc/mounts (cgroup v2 is named `unified`, a v1 hierarchy by the last
// component of its mount point), and a path is found by walking a hierarchy.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface CgroupHierarchy {
  /** `unified` for cgroup v2, else the mount point's last component (`cpu,cpuacct`). */
  name: string;
  /** Where it is mounted (`/sys/fs/cgroup`). */
  root: string;
  version: 1 | 2;
}

/** strerror-like text of a Node file-system error: `No such file or directory`. */
function errorText(e: unknown): string {
  const m = /^[A-Z]+: ([^,]+)/.exec((e as Error).message);
  const text = m ? m[1]! : (e as Error).message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The id of the cgroup at `path` (its inode number); throws an Error worded as bpftrace's. */
export function cgroupIdOf(path: string): bigint {
  try {
    return statSync(path, { bigint: true }).ino;
  } catch (e) {
    throw new Error(`Failed to get \`cgroupid\` for path: "${path}": ${errorText(e)}`);
  }
}

/** The mounted cgroup hierarchies: v2 first, then v1 sorted by name. */
export function cgroupHierarchies(mounts: string = readFileSync('/proc/mounts', 'utf8')): CgroupHierarchy[] {
  const v2: CgroupHierarchy[] = [];
  const v1: CgroupHierarchy[] = [];
  for (const line of mounts.split('\n')) {
    const [, root, fsType] = line.split(' ');
    if (!root || (fsType !== 'cgroup' && fsType !== 'cgroup2')) continue;
    if (fsType === 'cgroup2') v2.push({ name: 'unified', root, version: 2 });
    else v1.push({ name: basename(root), root, version: 1 });
  }
  v1.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...v2, ...v1];
}

/** bpftrace's hierarchy filter: `*` matches any text, everything else itself. */
export function matchesCgroupFilter(name: string, filter: string): boolean {
  const re = filter.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${re}$`).test(name);
}

function inode(path: string): bigint | undefined {
  try {
    return statSync(path, { bigint: true }).ino;
  } catch {
    return undefined;
  }
}

/** The path of cgroup `id` in the hierarchy mounted at `root` (`/` for the root cgroup), or undefined. */
export function cgroupPathIn(root: string, id: bigint): string | undefined {
  if (inode(root) === id) return '/';
  const pending = [root];
  while (pending.length) {
    const dir = pending.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (inode(path) === id) return path.slice(root.length);
      pending.push(path);
    }
  }
  return undefined;
}

/**
 * What bpftrace prints for `cgroup_path(id, filter)`: `name:path` for each
 * hierarchy matching `filter` where the cgroup is found, joined by commas.
 */
export function cgroupPathText(id: bigint, filter: string, hierarchies: CgroupHierarchy[] = cgroupHierarchies()): string {
  const found: string[] = [];
  for (const h of hierarchies) {
    if (!matchesCgroupFilter(h.name, filter)) continue;
    const path = cgroupPathIn(h.root, id);
    if (path) found.push(`${h.name}:${path}`);
  }
  return found.join(',');
}
