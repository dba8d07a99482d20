// Keeps the compile cache bounded: temporary files that a killed process left
// (`NAME.PID.tmp`, `.d`, `.c`: older than a minute, their pid gone) are
// removed, and when the entries add up to more than the size bound
// (BPFSCRIPT_CACHE_SIZE, default 256M), the least recently used go first (a
// hit touches its entry's mtime). Entries this process uses, and any used in
// the last minute (maybe by a run beside this one), are never removed. Runs
// once per process, after its first new entry.
import { readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, cacheSizeLimit } from './cache.ts';

/** How long a temporary file or a used entry is left alone, in ms. */
const GRACE_MS = 60_000;

/** Entries this process used or wrote: the size bound never removes them. */
export const entriesInUse = new Set<string>();


interface CacheFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** `NAME.PID.tmp|d|c`: a file being written by process PID. */
const temporaryName = /\.(\d+)\.(tmp|d|c)$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Regular files under `dir` (links and other kinds left alone), sub-folders first listed in `dirs`. */
function walk(dir: string, files: CacheFile[], dirs: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      dirs.push(path);
      walk(path, files, dirs);
    } else if (e.isFile()) {
      try {
        const st = statSync(path);
        files.push({ path, size: st.size, mtimeMs: st.mtimeMs });
      } catch {
        // Removed meanwhile by a run beside this one.
      }
    }
  }
}

/** Removes stale temporary files, then the least recently used entries above `limit` bytes; returns the removed paths. */
export function pruneCache(dir: string, limit: number, now = Date.now()): string[] {
  const files: CacheFile[] = [];
  const dirs: string[] = [];
  walk(dir, files, dirs);
  const removed: string[] = [];
  const remove = (path: string) => {
    rmSync(path, { force: true });
    removed.push(path);
  };
  const entries: CacheFile[] = [];
  for (const f of files) {
    const temporary = temporaryName.exec(f.path);
    if (!temporary) entries.push(f);
    else if (now - f.mtimeMs > GRACE_MS && !alive(Number(temporary[1]))) remove(f.path);
  }
  let total = entries.reduce((sum, f) => sum + f.size, 0);
  for (const f of entries.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
    if (total <= limit) break;
    if (entriesInUse.has(f.path) || now - f.mtimeMs <= GRACE_MS) continue;
    remove(f.path);
    total -= f.size;
  }
  // Folders left empty (an old kernel's include/<release>), unless just made.
  for (const d of dirs.reverse()) {
    try {
      if (now - statSync(d).mtimeMs > GRACE_MS) rmdirSync(d);
    } catch {
      // Not empty.
    }
  }
  return removed;
}

let pruned = false;

/** pruneCache on the cache folder, once per process. */
export function pruneCacheOnce(): void {
  if (pruned) return;
  pruned = true;
  pruneCache(cacheDir(), cacheSizeLimit());
}
