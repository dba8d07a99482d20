// The CLI bundle (scripts/bundle.mjs, dist/bpfscript.cjs) as start-up needs
// it: a run that neither spawns nor inflates does not load child_process or
// zlib, koffi's native module is loaded by its path (koffi's JavaScript entry
// only where that fails), and koffi and the standard library are found both
// in the package's own node_modules and where a package manager hoisted koffi
// above it.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
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

/** A preload that prints, at exit, the files of the modules required whose path names koffi. */
function koffiModulesProbe(dir: string): string {
  const probe = join(dir, 'loaded-modules.cjs');
  writeFileSync(probe, "process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes('koffi')))));\n");
  return probe;
}

/** The native module koffi itself loads here, relative to the repository's node_modules. */
function koffiNativeModule(): string {
  const modules = realpathSync(join(repoRoot, 'node_modules'));
  const require = createRequire(join(repoRoot, 'package.json'));
  require('koffi');
  const native = Object.keys(require.cache).find((f) => f.startsWith(modules) && f.endsWith('.node'));
  if (!native) throw new Error('koffi loaded no native module from node_modules');
  return relative(modules, native);
}

/** A copy of the built package at <dir>/pkg without node_modules, and the repository's node_modules at <dir>/node_modules (hoisted). */
function hoistedPackage(): { dir: string; pkg: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bpfs-bundle-'));
  const pkg = join(dir, 'pkg');
  mkdirSync(pkg);
  cpSync(join(repoRoot, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(repoRoot, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(repoRoot, 'stdlib'), join(pkg, 'stdlib'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return { dir, pkg };
}

test("koffi's native module is loaded by its path, without koffi's JavaScript entry", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfs-bundle-'));
  const r = run(join(repoRoot, 'dist/launch.cjs'), join(dir, 'cache'), [koffiModulesProbe(dir)]);
  t.is(r.stdout, '42\n\n\n');
  const modules = realpathSync(join(repoRoot, 'node_modules'));
  t.deepEqual(JSON.parse(r.stderr), [join(modules, koffiNativeModule())]);
});

test('koffi and the standard library are found where npm hoisted koffi above the package', (t) => {
  // <dir>/node_modules holds koffi (the repository's own node_modules); the package is <dir>/pkg, without one.
  const { dir, pkg } = hoistedPackage();
  const r = run(join(pkg, 'dist/launch.cjs'), join(dir, 'cache'));
  t.is(r.stderr, '');
  t.is(r.stdout, '42\n\n\n');
  t.is(r.status, 0);
});

test("where a project's node_modules holds the package and koffi beside it, koffi's native module is loaded by its path there", (t) => {
  // <dir>/node_modules/bpfscript is the package, without node_modules of its own; koffi and its native package are beside it.
  const dir = mkdtempSync(join(tmpdir(), 'bpfs-bundle-'));
  const modules = join(dir, 'node_modules');
  const pkg = join(modules, 'bpfscript');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(repoRoot, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(repoRoot, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(repoRoot, 'stdlib'), join(pkg, 'stdlib'));
  const native = koffiNativeModule();
  for (const name of ['koffi', native.split('/').slice(0, 2).join('/')]) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', name), join(modules, name));
  }
  const r = run(join(pkg, 'dist/launch.cjs'), join(dir, 'cache'), [koffiModulesProbe(dir)]);
  t.is(r.stdout, '42\n\n\n');
  t.is(r.status, 0);
  t.deepEqual(JSON.parse(r.stderr), [join(realpathSync(join(repoRoot, 'node_modules')), native)]);
});

test("a native module that does not load at the bundle's path leaves the choice to koffi's entry", (t) => {
  // The package's own node_modules holds only a broken file where the bundle looks for the native module.
  const { dir, pkg } = hoistedPackage();
  const broken = join(pkg, 'node_modules', koffiNativeModule());
  mkdirSync(dirname(broken), { recursive: true });
  writeFileSync(broken, 'not a shared object\n');
  const r = run(join(pkg, 'dist/launch.cjs'), join(dir, 'cache'), [koffiModulesProbe(dir)]);
  t.is(r.stdout, '42\n\n\n');
  t.is(r.status, 0);
  const loaded = JSON.parse(r.stderr) as string[];
  t.true(loaded.some((f) => f.endsWith('/koffi/index.cjs')), "koffi's entry chose the native module");
  t.true(loaded.includes(join(realpathSync(join(dir, 'node_modules')), koffiNativeModule())));
  t.false(loaded.includes(broken));
});
