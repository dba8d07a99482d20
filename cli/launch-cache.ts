// The build's V8 code cache of the CLI bundle (dist/bpfscript.cjs.v8), made by
// `npm run build` (scripts/code-cache.mjs) from a typical run of the bundle
// beside it: the key the launcher computes for the bundle (a hash of its bytes,
// Node's version and the architecture), then V8's data. It is exactly as
// trusted as the bundle: used only where its owner is the bundle's and nobody
// may write it who may not write the bundle, and where its key is the bundle's
// (a bundle rebuilt without it, or another Node, finds a key that differs).
import { readFileSync, statSync } from 'node:fs';

/** Where the build's code cache of `bundle` is. */
export function buildCodeCachePath(bundle: string): string {
  return `${bundle}.v8`;
}

/** The file's bytes: the ASCII key, then V8's cached data. */
export function buildCodeCacheFile(key: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(key, 'latin1'), data]);
}

/** V8's cached data of the build's code cache of `bundle` for `key`, or undefined where there is none to trust. */
export function buildCodeCache(bundle: string, key: string): Buffer | undefined {
  const path = buildCodeCachePath(bundle);
  try {
    const cache = statSync(path);
    const source = statSync(bundle);
    if (!cache.isFile() || cache.uid !== source.uid || cache.mode & 0o022 & ~source.mode) return undefined;
    const file = readFileSync(path);
    if (file.length <= key.length || file.toString('latin1', 0, key.length) !== key) return undefined;
    return file.subarray(key.length);
  } catch {
    return undefined;
  }
}
