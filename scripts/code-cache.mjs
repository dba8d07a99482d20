// The build's V8 code cache of the CLI bundle (dist/bpfscript.cjs.v8, read by
// cli/launch-cache.ts): the bundle run once through dist/launch.cjs on a
// typical script, in a `node` without flags as bin/bpfscript runs it (V8
// rejects a cache made under other flags), with a fresh compile cache, so the
// cache holds every function such a first run compiles: the front end, code
// generation, clang's compile cache, and where the build runs as root, opening,
// loading, attaching and printing. Without root it is only compiled
// (--emit-elf; on BEGIN where tracefs cannot be read). A build where none of
// these runs (no clang) has no file: the launcher then compiles the bundle as
// before, and the user's first run writes its code cache.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); } BEGIN { exit(); }';
// Without tracefs (not root): the same map and `comm`, on a probe that needs no tracefs.
const plainScript = 'BEGIN { @[comm] = count(); exit(); }';

/** The runs to try, best first: a real one (root), then compile-only ones. */
function workloads(dir) {
  const compileOnly = [script, plainScript].map((text) => ['--emit-elf', join(dir, 'program.o'), '-e', text]);
  return process.geteuid?.() === 0 ? [['-q', '-e', script], ...compileOnly] : compileOnly;
}

/** Makes `<dist>/bpfscript.cjs.v8`; returns why not where it could not. */
export function makeCodeCache(dist) {
  const output = join(dist, 'bpfscript.cjs.v8');
  rmSync(output, { force: true });
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-code-cache-'));
  try {
    const { NODE_OPTIONS: _flags, ...env } = process.env;
    let why = 'no run';
    for (const args of workloads(dir)) {
      const temporary = join(dir, 'bpfscript.cjs.v8');
      const run = spawnSync(process.execPath, [join(dist, 'launch.cjs'), ...args], {
        env: { ...env, BPFSCRIPT_CACHE_DIR: join(dir, 'cache'), BPFSCRIPT_BUILD_CODE_CACHE: temporary },
        encoding: 'utf8',
        timeout: 120_000,
      });
      if (run.status === 0) {
        renameSync(temporary, output);
        return undefined;
      }
      why = (run.stderr || run.error?.message || `exit status ${run.status}`).trim().split('\n').pop();
    }
    return why;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
