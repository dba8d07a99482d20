// The compile cache's folder: where it is, and the checks that let root trust
// it. It is BPFSCRIPT_CACHE_DIR, else $XDG_CACHE_HOME/bpfscript, else
// ~/.cache/bpfscript; created with mode 0700 (set explicitly, whatever the
// umask), and on every use it must be a folder owned by the invoking user
// (the effective uid) that this process can write. A folder of ours that
// others may read or write is narrowed back to 0700. Anything else ends the
// run with one sentence naming the setting to change: a cache that cannot be
// trusted or written is not silently replaced by another. Its size is bounded
// by BPFSCRIPT_CACHE_SIZE (cache-prune.ts).
import { accessSync, chmodSync, constants, mkdirSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The cache cannot be used; the message is one sentence for the user. */
export class CacheError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheError';
  }
}

export interface CacheLocation {
  path: string;
  /** The setting the path comes from: BPFSCRIPT_CACHE_DIR, XDG_CACHE_HOME or HOME. */
  setting: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Where the cache is, and the setting that put it there. */
export function cacheLocation(env: Env = process.env): CacheLocation {
  if (env.BPFSCRIPT_CACHE_DIR) return { path: resolve(env.BPFSCRIPT_CACHE_DIR), setting: 'BPFSCRIPT_CACHE_DIR' };
  if (env.XDG_CACHE_HOME) return { path: join(resolve(env.XDG_CACHE_HOME), 'bpfscript'), setting: 'XDG_CACHE_HOME' };
  return { path: join(homedir(), '.cache', 'bpfscript'), setting: 'HOME' };
}

const units: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** The bound on the cache's size without BPFSCRIPT_CACHE_SIZE. */
export const defaultCacheSize = 256 * 1024 * 1024;

/** The size bound in bytes from BPFSCRIPT_CACHE_SIZE (`500M`, `2G`, `1048576`). */
export function cacheSizeLimit(env: Env = process.env): number {
  const text = env.BPFSCRIPT_CACHE_SIZE;
  if (!text) return defaultCacheSize;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new CacheError(`BPFSCRIPT_CACHE_SIZE=${text} is not a size: set it to a number of bytes, or of K, M or G (the default is 256M)`);
  return Math.floor(Number(m[1]) * units[m[2]!.toLowerCase()]!);
}

const euid = () => process.geteuid?.() ?? 0;

/** Warnings of the cache (an entry or folder it will not trust), on stderr. */
export function cacheWarning(text: string): void {
  process.stderr.write(`WARNING: ${text}\n`);
}

/** strerror-like text of a Node file-system error (`No such file or directory`). */
export function errnoText(e: unknown): string {
  const m = /^[A-Z]+: ([^,]+)/.exec((e as Error).message);
  return m ? m[1]! : String((e as Error).message);
}

function failure(loc: CacheLocation, problem: string): CacheError {
  const from = loc.setting === 'BPFSCRIPT_CACHE_DIR' ? '' : ` (from ${loc.setting})`;
  return new CacheError(`cannot use ${loc.path}${from} as the compile cache: ${problem}; set BPFSCRIPT_CACHE_DIR to a directory you own and can write`);
}

/**
 * `mkdir -p` one component at a time. Node's own recursive mkdir loops for
 * ever where a parent exists but refuses children with ENOENT (/proc/x): it
 * takes ENOENT for a missing parent, makes the parent (EEXIST), and retries.
 */
function makeDirectories(path: string): void {
  let p = '';
  for (const part of path.split('/').filter(Boolean)) {
    p += `/${part}`;
    try {
      mkdirSync(p, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`${p}: ${errnoText(e)}`);
      if (!statSync(p).isDirectory()) throw new Error(`${p} is not a directory`);
    }
  }
}

/** The cache folder, created or checked; throws CacheError when it cannot be used. */
export function cacheDir(): string {
  cacheSizeLimit();
  const loc = cacheLocation();
  let st;
  try {
    st = statSync(loc.path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw failure(loc, errnoText(e));
    try {
      makeDirectories(loc.path);
      chmodSync(loc.path, 0o700);
      st = statSync(loc.path);
    } catch (e2) {
      throw failure(loc, (e2 as Error).message);
    }
  }
  if (!st.isDirectory()) throw failure(loc, 'it is not a directory');
  if (st.uid !== euid()) throw failure(loc, `it is owned by uid ${st.uid}, not by you (uid ${euid()})`);
  try {
    if (st.mode & 0o077) {
      if (st.mode & 0o022) cacheWarning(`the compile cache ${loc.path} was writable by others: its mode is now 0700, and entries of other users in it are ignored`);
      chmodSync(loc.path, 0o700);
    }
    accessSync(loc.path, constants.W_OK);
  } catch (e) {
    throw failure(loc, errnoText(e));
  }
  return loc.path;
}

/**
 * A folder inside the cache (`units`, `c-types`, `include/<release>`),
 * created with mode 0700. One that is not ours, or that others may write, is
 * removed with a warning and made again.
 */
export function cacheSubdir(...parts: string[]): string {
  let dir = cacheDir();
  for (const part of parts) {
    dir = join(dir, part);
    let st;
    try {
      st = statSync(dir);
    } catch {
      st = undefined;
    }
    if (st && !(st.isDirectory() && st.uid === euid() && !(st.mode & 0o022))) {
      cacheWarning(`ignoring ${dir} in the compile cache: it is not a directory that only you can write; it is made again`);
      rmSync(dir, { recursive: true, force: true });
      st = undefined;
    }
    if (!st) {
      try {
        mkdirSync(dir, { mode: 0o700 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw failure(cacheLocation(), `${dir}: ${errnoText(e)}`);
      }
    }
  }
  return dir;
}

/** A write into the cache failed (disk full, file system gone read-only). */
export function cacheWriteFailure(path: string, e: unknown): CacheError {
  return failure(cacheLocation(), `writing ${path}: ${errnoText(e)}`);
}
