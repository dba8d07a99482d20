// The CLI bundle (scripts/bundle.mjs, dist/bpfscript.cjs) as start-up needs
// it: a run that neither spawns nor inflates does not load child_process or
// zlib, and koffi and the standard library are found both in the package's
// own node_modules and where a package manager hoisted koffi above it.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/run.ts';

const script = 'begin { printf("%d\\n", 6 * 7); exit(); }';

/** Runs `launch` on the script with `preload` required first; stdout and stderr. */
function run(launch: string, cache: string, preload: string[] = []): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [...preload.flatMap((p) => ['-r', p]), launch, '-q', '-e', script], {
    env: { ...process.env, BPFSCRIPT_CACHE_DIR: cache },
    encoding: 'utf8',
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

test('a run that spawns nothing loads neither child_process nor zlib', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfs-bundle-'));
  const probe = join(dir, 'loaded.cjs');
  // Node's list of the built-in modules it has loaded, printed at exit.
  writeFileSync(probe, "process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList)));\n");
  const launch = join(repoRoot, 'dist/launch.cjs');
  run(launch, join(dir, 'cache'));
  const r = run(launch, join(dir, 'cache'), [probe]);
  t.is(r.stdout, '42\n\n\n');
  const loaded = JSON.parse(r.stderr) as string[];
  t.true(loaded.includes('NativeModule fs'), 'the list is the one of built-in modules');
  t.false(loaded.includes('NativeModule child_process'));
  t.false(loaded.includes('NativeModule zlib'));
});

test('koffi and the standard library are found where npm hoisted koffi above the package', (t) => {
  // <dir>/node_modules holds koffi (the repository's own node_modules); the package is <dir>/pkg, without one.
  const dir = mkdtempSync(join(tmpdir(), 'bpfs-bundle-'));
  const pkg = join(dir, 'pkg');
  mkdirSync(pkg);
  cpSync(join(repoRoot, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(repoRoot, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(repoRoot, 'stdlib'), join(pkg, 'stdlib'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  const r = run(join(pkg, 'dist/launch.cjs'), join(dir, 'cache'));
  t.is(r.stderr, '');
  t.is(r.stdout, '42\n\n\n');
  t.is(r.status, 0);
});
