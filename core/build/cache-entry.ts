// Entries of the compile cache (objects, dependency records, vmlinux.h, C
// type records). An entry is trusted only when it is a regular file owned by
// the invoking user that nobody else may write; any other file under an
// entry's name is removed with a one-line warning and the entry is rebuilt.
// Entries are written under a temporary name with mode 0600 (explicitly:
// tools like clang create files with 0666 less the umask) and renamed into
// place, so a reader never sees half an entry. A hit touches the entry's
// mtime: the size bound (cache-prune.ts) removes the least recently used.
import { chmodSync, lstatSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { cacheWarning, cacheWriteFailure } from './cache.ts';
import { entriesInUse, pruneCacheOnce } from './cache-prune.ts';

/** A private temporary name beside `path` (cache-prune.ts removes those a killed process left). */
export function temporaryPath(path: string, suffix = 'tmp'): string {
  return `${path}.${process.pid}.${suffix}`;
}

function markUsed(path: string): void {
  entriesInUse.add(path);
  const now = new Date();
  try {
    utimesSync(path, now, now);
  } catch {
    // Only the least-recently-used order suffers.
  }
}

/** Whether `path` holds an entry to use; an entry someone else could have written is removed, with a warning. */
export function trustedEntry(path: string): boolean {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return false;
  }
  const euid = process.geteuid?.() ?? 0;
  const why = !st.isFile() ? 'it is not a regular file'
    : st.uid !== euid ? `it is owned by uid ${st.uid}, not by you`
    : st.mode & 0o022 ? `it is writable by others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`
    : undefined;
  if (!why) {
    markUsed(path);
    return true;
  }
  cacheWarning(`ignoring compile cache entry ${path}: ${why}; building it again`);
  rmSync(path, { recursive: true, force: true });
  return false;
}

/** Moves a finished temporary file into place as entry `path`, mode 0600. */
export function commitEntry(temporary: string, path: string): void {
  try {
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw cacheWriteFailure(path, e);
  }
  markUsed(path);
  pruneCacheOnce();
}

/** Writes entry `path` whole (a temporary file, mode 0600, then a rename). */
export function writeEntry(path: string, data: string | Uint8Array): void {
  const temporary = temporaryPath(path);
  try {
    writeFileSync(temporary, data, { mode: 0o600 });
  } catch (e) {
    rmSync(temporary, { force: true });
    throw cacheWriteFailure(path, e);
  }
  commitEntry(temporary, path);
}
