// Shared by the c-interop unit tests: tests that need clang, and a private
// compile cache per test file.
import test from 'ava';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findClang } from '../../../../core/build/index.ts';

function haveClang(): boolean {
  try {
    findClang();
    return true;
  } catch {
    return false;
  }
}

/** `test.serial` when clang is installed (these tests share a cache folder), else skipped. */
export const clangTest = haveClang() ? test.serial : test.skip;

/** A fresh temporary folder, also made this process's compile cache (BPFSCRIPT_CACHE_DIR=<it>/cache). */
export function withTempCache(prefix: string): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  process.env.BPFSCRIPT_CACHE_DIR = join(root, 'cache');
  return root;
}
