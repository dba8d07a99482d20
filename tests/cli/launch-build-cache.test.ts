// The build's V8 code cache of the CLI bundle (scripts/code-cache.mjs makes
// dist/bpfscript.cjs.v8, cli/launch-cache.ts reads it): made by `npm run
// build` for the bundle beside it, used by a run whose compile cache has no
// code cache entry (so that run writes none: only V8 rejecting the cache
// would make it write one), and the user's entry written by the second such
// run. A cache V8 rejects (other V8 flags, a corrupt file), another bundle's
// or Node's, or one the bundle's owner did not write is passed over silently:
// the run compiles the bundle and writes the user's entry, and its output is
// the same.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageCopy, runPackage } from '../helpers/package-copy.ts';
import { bpfscript, repoRoot } from '../helpers/run.ts';

const script = 'begin { printf("%d\\n", 6 * 7); exit(); }';

function keyOf(bundle: string): string {
  return createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(readFileSync(bundle)).digest('hex').slice(0, 32);
}

/** The user's code cache entries (`v8/*.bin`) in compile cache `cache`. */
function userEntries(cache: string): string[] {
  try {
    return readdirSync(join(cache, 'v8')).filter((n) => n.endsWith('.bin')).map((n) => join(cache, 'v8', n));
  } catch {
    return [];
  }
}

const freshCache = () => mkdtempSync(join(tmpdir(), 'bpfs-v8-'));

test('npm run build made the code cache of the bundle beside it: the bundle\'s key, then V8\'s data', (t) => {
  const file = readFileSync(join(repoRoot, 'dist/bpfscript.cjs.v8'));
  const key = keyOf(join(repoRoot, 'dist/bpfscript.cjs'));
  t.is(file.toString('latin1', 0, key.length), key);
  t.true(file.length > 100_000, 'it holds the functions of a whole run');
});

test('a fresh compile cache runs on the build\'s code cache; the second run writes the user\'s entry, the third uses it', async (t) => {
  const cache = freshCache();
  const env = { BPFSCRIPT_CACHE_DIR: cache };
  const first = await bpfscript(['-q', '-e', script], { env });
  t.is(first.stdout, '42\n\n\n');
  t.is(first.stderr, '');
  t.deepEqual(userEntries(cache), [], 'V8 accepted the build\'s cache: nothing written');
  const second = await bpfscript(['-q', '-e', script], { env });
  t.is(second.stdout, '42\n\n\n');
  const [entry, ...more] = userEntries(cache);
  t.truthy(entry, 'the second run keeps what it compiled beyond the build\'s run');
  t.deepEqual(more, []);
  t.is(statSync(entry!).mode & 0o777, 0o600);
  const written = statSync(entry!).ino;
  const third = await bpfscript(['-q', '-e', script], { env });
  t.is(third.stdout, '42\n\n\n');
  t.is(statSync(entry!).ino, written, 'the user\'s entry is used as it is');
});

test('BPFSCRIPT_DEBUG (node --enable-source-maps) runs with the build\'s code cache or without it, output unchanged', async (t) => {
  const r = await bpfscript(['-q', '-e', script], { env: { BPFSCRIPT_CACHE_DIR: freshCache(), BPFSCRIPT_DEBUG: '1' } });
  t.is(r.stdout, '42\n\n\n');
  t.is(r.stderr, '');
});

test('a node with other V8 flags rejects the build\'s code cache: the run compiles the bundle and writes the user\'s entry', async (t) => {
  const cache = freshCache();
  const r = await runPackage(packageCopy({ buildCodeCache: true }), ['-q', '-e', script], { BPFSCRIPT_CACHE_DIR: cache }, ['--stack-size=900']);
  t.is(r.stdout, '42\n\n\n');
  t.is(r.stderr, '');
  t.is(userEntries(cache).length, 1);
});

/** A package whose build cache `spoil` changed; the first run's output and the user entries it wrote. */
async function runSpoiled(t: import('ava').ExecutionContext, spoil: (file: string, key: string) => void): Promise<void> {
  const pkg = packageCopy({ buildCodeCache: true });
  const file = join(pkg, 'dist/bpfscript.cjs.v8');
  spoil(file, keyOf(join(pkg, 'dist/bpfscript.cjs')));
  const cache = freshCache();
  const r = await runPackage(pkg, ['-q', '-e', script], { BPFSCRIPT_CACHE_DIR: cache });
  t.is(r.stdout, '42\n\n\n');
  t.is(r.stderr, '');
  t.is(userEntries(cache).length, 1, 'the build\'s cache was not used: the run wrote the user\'s entry');
}

test('a corrupt build code cache is rejected silently', (t) =>
  runSpoiled(t, (file, key) => writeFileSync(file, Buffer.concat([Buffer.from(key, 'latin1'), Buffer.alloc(4096, 0x5a)]))));

test('a build code cache with another key (another bundle or Node) is passed over', (t) =>
  runSpoiled(t, (file) => {
    const data = readFileSync(file);
    data.write('0'.repeat(32), 0, 'latin1');
    writeFileSync(file, data);
  }));

test('a build code cache others may write, where they may not write the bundle, is passed over', (t) => runSpoiled(t, (file) => chmodSync(file, 0o666)));

test('a build code cache the bundle\'s owner does not own is passed over', (t) => {
  if (process.geteuid?.() !== 0) return t.pass('only root can give a file away');
  return runSpoiled(t, (file) => chownSync(file, 65534, 65534));
});

test('a build that cannot run the bundle (no clang) makes no code cache, and removes the last build\'s', (t) => {
  const pkg = packageCopy({ buildCodeCache: true });
  const dist = join(pkg, 'dist');
  const make = `import { makeCodeCache } from ${JSON.stringify(join(repoRoot, 'scripts/code-cache.mjs'))}; process.stdout.write(makeCodeCache(${JSON.stringify(dist)}) ?? 'made');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', make], { env: { ...process.env, BPFSCRIPT_CLANG: join(pkg, 'no-clang') }, encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /BPFSCRIPT_CLANG=.*no-clang is not an executable file/);
  t.false(existsSync(join(dist, 'bpfscript.cjs.v8')));
});
