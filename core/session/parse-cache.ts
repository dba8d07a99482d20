// The script's parse, kept in the compile cache (`parse/<key>.json`). The
// parser's code runs cold once per process, so parsing even a one-line
// script took ~10 ms of a warm start. The key is the parser's identity (a
// hash of every source file the parser is built from, which
// scripts/bundle.mjs defines in the CLI bundle as `__BPFS_PARSER_ID`), the
// file name the spans carry, and the text: the parse is a function of these
// alone. Outside the bundle (no identity) the script is parsed every time.
// Only a successful parse whose tree JSON keeps exactly (isPlainTree) is
// kept. The lookup is quiet: a cache folder or entry it cannot trust, or any
// failure to read or write, means parsing as before, and the compile
// cache's own checks report the folder's problems where they did. A miss
// starts clang early (core/build/early-clang.ts): the script is new here, so
// its program is most likely not in the compile cache either.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type * as A from '../syntax/ast.ts';
import { isPlainTree, parse, treeFromJson, treeToJson } from '../syntax/index.ts';
import { cacheLocation, cacheSizeLimit } from '../build/cache.ts';
import { writeEntry } from '../build/cache-entry.ts';
import { entriesInUse } from '../build/cache-prune.ts';
import { startClangEarly } from '../build/clang.ts';

/** Set by scripts/bundle.mjs in the CLI bundle: the sha256 of the parser's sources. */
declare const __BPFS_PARSER_ID: string | undefined;

const SUBDIR = 'parse';

function bundledParserId(): string | undefined {
  return typeof __BPFS_PARSER_ID === 'string' ? __BPFS_PARSER_ID : undefined;
}

/** Whether `path` is a `kind` owned by this user that nobody else may write. */
function ours(path: string, kind: 'dir' | 'file'): boolean {
  try {
    const st = lstatSync(path);
    return (kind === 'dir' ? st.isDirectory() : st.isFile()) && st.uid === (process.geteuid?.() ?? 0) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** The folder of parse entries, made when missing; undefined when the cache is not one to use quietly. */
function parseDir(): string | undefined {
  try {
    cacheSizeLimit();
  } catch {
    return undefined;
  }
  const root = cacheLocation().path;
  if (!ours(root, 'dir')) return undefined;
  const dir = join(root, SUBDIR);
  if (!ours(dir, 'dir')) {
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch {
      return undefined;
    }
    if (!ours(dir, 'dir')) return undefined;
  }
  return dir;
}

function readHit(path: string): A.Program | undefined {
  if (!ours(path, 'file')) return undefined;
  try {
    const program = treeFromJson<A.Program>(readFileSync(path, 'utf8'));
    entriesInUse.add(path);
    const now = new Date();
    utimesSync(path, now, now); // the size bound removes the least recently used
    return program;
  } catch {
    return undefined;
  }
}

/** `parse(text, file)`, from the compile cache when this parser parsed the same text under the same name before. */
export function cachedParse(text: string, file: string, parserId: string | undefined = bundledParserId()): A.Program {
  const dir = parserId === undefined ? undefined : parseDir();
  if (dir === undefined) return parse(text, file);
  const key = createHash('sha256').update(`${parserId}\0${file}\0`).update(text).digest('hex').slice(0, 32);
  const path = join(dir, `${key}.json`);
  const hit = readHit(path);
  if (hit) return hit;
  // A script this parser has not seen will most likely need clang: start it now, beside the compile.
  startClangEarly();
  const program = parse(text, file);
  if (isPlainTree(program)) {
    try {
      writeEntry(path, treeToJson(program));
    } catch {
      // A cache that cannot be written costs the next run its parse, nothing else.
    }
  }
  return program;
}
