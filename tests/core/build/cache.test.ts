// The compile cache on real folders: where it is, its modes whatever the
// umask, what it refuses to use (with one sentence naming the setting), which
// entries it trusts, and how it stays bounded. Tests change process.env and
// the umask, so they run one at a time.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CacheError, cacheDir, cacheLocation, cacheSizeLimit, cacheSubdir, compileC, keepGeneratedSources, pruneCache, temporaryPath, trustedEntry, writeEntry,
} from '../../../core/build/index.ts';

const stranger = 4242;

function tempRoot(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-cache-test-')));
}

/** Runs `f` with BPFSCRIPT_CACHE_DIR (or other variables) set, and the warnings it wrote to stderr. */
function withEnv<T>(env: Record<string, string | undefined>, f: () => T): { value: T; warnings: string[] } {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const warnings: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((text: string) => (warnings.push(String(text)), true)) as typeof process.stderr.write;
  const restore = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
  try {
    restore(env);
    return { value: f(), warnings };
  } finally {
    process.stderr.write = write;
    restore(saved);
  }
}

const mode = (path: string) => statSync(path).mode & 0o7777;

test.serial('the location: BPFSCRIPT_CACHE_DIR, else XDG_CACHE_HOME/bpfscript, else ~/.cache/bpfscript, with the setting it came from', (t) => {
  t.deepEqual(cacheLocation({ BPFSCRIPT_CACHE_DIR: '/x/c', XDG_CACHE_HOME: '/y' }), { path: '/x/c', setting: 'BPFSCRIPT_CACHE_DIR' });
  t.deepEqual(cacheLocation({ BPFSCRIPT_CACHE_DIR: '', XDG_CACHE_HOME: '/y' }), { path: '/y/bpfscript', setting: 'XDG_CACHE_HOME' });
  t.is(cacheLocation({}).setting, 'HOME');
});

test.serial('under umask 000 the folders are made 0700 and the entries 0600', (t) => {
  const root = tempRoot();
  const old = process.umask(0);
  try {
    withEnv({ BPFSCRIPT_CACHE_DIR: join(root, 'a/b/cache') }, () => {
      const dir = cacheDir();
      t.is(mode(dir), 0o700);
      t.is(mode(join(root, 'a')), 0o700);
      const units = cacheSubdir('units');
      t.is(mode(units), 0o700);
      writeEntry(join(units, 'x.json'), '{}');
      t.is(mode(join(units, 'x.json')), 0o600);
      t.deepEqual(readdirSync(units), ['x.json'], 'no temporary file left');
    });
  } finally {
    process.umask(old);
  }
});

test.serial('a folder of ours that others may write is narrowed to 0700, with a warning', (t) => {
  const dir = join(tempRoot(), 'cache');
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  const { warnings } = withEnv({ BPFSCRIPT_CACHE_DIR: dir }, () => cacheDir());
  t.is(mode(dir), 0o700);
  t.deepEqual(warnings, [`WARNING: the compile cache ${dir} was writable by others: its mode is now 0700, and entries of other users in it are ignored\n`]);
  chmodSync(dir, 0o755);
  t.deepEqual(withEnv({ BPFSCRIPT_CACHE_DIR: dir }, () => cacheDir()).warnings, [], 'only readable by others: narrowed silently');
  t.is(mode(dir), 0o700);
});

/** The CacheError message cacheDir() throws under `env`, and how long it took. */
function refusal(env: Record<string, string | undefined>): { message: string; ms: number } {
  const started = performance.now();
  const e = withEnv(env, () => {
    try {
      cacheDir();
      return undefined;
    } catch (err) {
      return err;
    }
  }).value;
  if (!(e instanceof CacheError)) throw new Error(`expected a CacheError, got ${String(e)}`);
  return { message: e.message, ms: performance.now() - started };
}

test.serial('refused at once, in one sentence naming the setting: a path under /proc (HOME or BPFSCRIPT_CACHE_DIR), a file, a folder of another user', (t) => {
  const home = refusal({ BPFSCRIPT_CACHE_DIR: undefined, XDG_CACHE_HOME: undefined, HOME: '/proc/x' });
  t.is(home.message, 'cannot use /proc/x/.cache/bpfscript (from HOME) as the compile cache: /proc/x: no such file or directory; set BPFSCRIPT_CACHE_DIR to a directory you own and can write');
  t.true(home.ms < 1000, `${home.ms} ms`);
  t.is(refusal({ BPFSCRIPT_CACHE_DIR: '/proc/x' }).message, 'cannot use /proc/x as the compile cache: /proc/x: no such file or directory; set BPFSCRIPT_CACHE_DIR to a directory you own and can write');
  const root = tempRoot();
  writeFileSync(join(root, 'file'), '');
  t.is(refusal({ BPFSCRIPT_CACHE_DIR: join(root, 'file') }).message, `cannot use ${root}/file as the compile cache: it is not a directory; set BPFSCRIPT_CACHE_DIR to a directory you own and can write`);
  t.is(refusal({ BPFSCRIPT_CACHE_DIR: join(root, 'file/sub') }).message, `cannot use ${root}/file/sub as the compile cache: ${root}/file is not a directory; set BPFSCRIPT_CACHE_DIR to a directory you own and can write`);
  mkdirSync(join(root, 'theirs'), { mode: 0o700 });
  chownSync(join(root, 'theirs'), stranger, stranger);
  t.is(refusal({ BPFSCRIPT_CACHE_DIR: join(root, 'theirs') }).message,
    `cannot use ${root}/theirs as the compile cache: it is owned by uid ${stranger}, not by you (uid ${process.geteuid!()}); set BPFSCRIPT_CACHE_DIR to a directory you own and can write`);
  t.is(refusal({ BPFSCRIPT_CACHE_SIZE: 'lots' }).message, 'BPFSCRIPT_CACHE_SIZE=lots is not a size: set it to a number of bytes, or of K, M or G (the default is 256M)');
});

test.serial('refused on a read-only file system, new or already there', (t) => {
  if (process.geteuid!() !== 0) return t.pass('mounting needs root');
  const mnt = tempRoot();
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  try {
    mkdirSync(join(mnt, 'there'), { mode: 0o700 });
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    t.is(refusal({ BPFSCRIPT_CACHE_DIR: join(mnt, 'new') }).message, `cannot use ${mnt}/new as the compile cache: ${mnt}/new: read-only file system; set BPFSCRIPT_CACHE_DIR to a directory you own and can write`);
    t.is(refusal({ BPFSCRIPT_CACHE_DIR: join(mnt, 'there') }).message, `cannot use ${mnt}/there as the compile cache: read-only file system; set BPFSCRIPT_CACHE_DIR to a directory you own and can write`);
  } finally {
    execFileSync('umount', [mnt]);
  }
});

test.serial('an entry is trusted only as a regular file of ours that nobody else may write; others are removed with a warning', (t) => {
  const dir = join(tempRoot(), 'cache');
  withEnv({ BPFSCRIPT_CACHE_DIR: dir }, () => cacheDir());
  const entry = (name: string) => join(dir, name);
  withEnv({ BPFSCRIPT_CACHE_DIR: dir }, () => {
    for (const name of ['ours', 'theirs', 'open', 'group']) writeEntry(entry(`${name}.bpf.o`), 'x');
  });
  chownSync(entry('theirs.bpf.o'), stranger, stranger);
  chmodSync(entry('open.bpf.o'), 0o666);
  chmodSync(entry('group.bpf.o'), 0o620);
  symlinkSync(entry('ours.bpf.o'), entry('link.bpf.o'));
  const { value, warnings } = withEnv({}, () => ['ours', 'theirs', 'open', 'group', 'link', 'absent'].map((n) => trustedEntry(entry(`${n}.bpf.o`))));
  t.deepEqual(value, [true, false, false, false, false, false]);
  t.deepEqual(warnings, [
    `WARNING: ignoring compile cache entry ${entry('theirs.bpf.o')}: it is owned by uid ${stranger}, not by you; building it again\n`,
    `WARNING: ignoring compile cache entry ${entry('open.bpf.o')}: it is writable by others (mode 0666); building it again\n`,
    `WARNING: ignoring compile cache entry ${entry('group.bpf.o')}: it is writable by others (mode 0620); building it again\n`,
    `WARNING: ignoring compile cache entry ${entry('link.bpf.o')}: it is not a regular file; building it again\n`,
  ]);
  t.deepEqual(readdirSync(dir).sort(), ['ours.bpf.o']);
});

test.serial('a planted object under the expected name is not loaded: the program is compiled again', (t) => {
  const dir = join(tempRoot(), 'cache');
  withEnv({ BPFSCRIPT_CACHE_DIR: dir }, () => {
    const source = 'int x = 1;\n';
    const first = compileC(source);
    const own = readFileSync(first.objectPath);
    writeFileSync(first.objectPath, 'not an object');
    chownSync(first.objectPath, stranger, stranger);
    const again = compileC(source);
    t.false(again.cached);
    t.deepEqual(readFileSync(again.objectPath), own);
    t.true(compileC(source).cached);
  });
});

test.serial('the generated C is removed after a compile unless asked for; kept and named when clang fails', (t) => {
  const dir = join(tempRoot(), 'cache');
  withEnv({ BPFSCRIPT_CACHE_DIR: dir }, () => {
    compileC('int a = 1;\n');
    t.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.c')), []);
    keepGeneratedSources(true);
    try {
      const kept = compileC('int b = 2;\n');
      t.true(existsSync(kept.objectPath.replace(/\.bpf\.o$/, '.c')));
    } finally {
      keepGeneratedSources(false);
    }
    const e = t.throws(() => compileC('int c = ;\n'));
    const named = /\((\/.*\.c)\)$/.exec(e!.message)?.[1];
    t.truthy(named && existsSync(named), e!.message);
    t.is(mode(named!), 0o600);
  });
});

test.serial('pruning: stale temporary files of dead processes go; the least recently used entries go above the bound; recent and in-use ones stay', (t) => {
  const dir = join(tempRoot(), 'cache');
  withEnv({ BPFSCRIPT_CACHE_DIR: dir }, () => cacheDir());
  const now = Date.now();
  const file = (name: string, size: number, ageS: number) => {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, Buffer.alloc(size));
    const at = new Date(now - ageS * 1000);
    utimesSync(path, at, at);
    return path;
  };
  const deadPid = 4_194_305; // above the kernel's largest pid_max: never a live process
  file(`a.bpf.o.${deadPid}.tmp`, 10, 120);
  file(`units/b.bpf.o.${deadPid}.d`, 10, 120);
  file(`c.${deadPid}.c`, 10, 120);
  file(`young.bpf.o.${deadPid}.tmp`, 10, 5);
  file(`mine.bpf.o.${process.pid}.tmp`, 10, 120);
  file('oldest.bpf.o', 400, 3000);
  file('units/older.bpf.o', 400, 2000);
  file('old.c', 400, 1000);
  file('recent.bpf.o', 400, 10);
  const removed = pruneCache(dir, 900, now).map((p) => p.slice(dir.length + 1)).sort();
  t.deepEqual(removed, [`a.bpf.o.${deadPid}.tmp`, `c.${deadPid}.c`, 'oldest.bpf.o', `units/b.bpf.o.${deadPid}.d`, 'units/older.bpf.o']);
  t.deepEqual(readdirSync(dir).sort(), [`mine.bpf.o.${process.pid}.tmp`, 'old.c', 'recent.bpf.o', 'units', `young.bpf.o.${deadPid}.tmp`]);
  const used = join(dir, 'used.bpf.o');
  withEnv({ BPFSCRIPT_CACHE_DIR: dir }, () => writeEntry(used, Buffer.alloc(10_000)));
  const old = new Date(now - 5000_000);
  utimesSync(used, old, old);
  t.deepEqual(pruneCache(dir, 0, now).map((p) => p.slice(dir.length + 1)), ['old.c'], 'an entry this process wrote stays');
});

test('the size bound: bytes or K, M, G; 256M without the setting', (t) => {
  t.is(cacheSizeLimit({}), 256 * 1024 * 1024);
  t.is(cacheSizeLimit({ BPFSCRIPT_CACHE_SIZE: '1048576' }), 1048576);
  t.is(cacheSizeLimit({ BPFSCRIPT_CACHE_SIZE: '500M' }), 500 * 1024 * 1024);
  t.is(cacheSizeLimit({ BPFSCRIPT_CACHE_SIZE: '1.5GiB' }), 1.5 * 1024 ** 3);
  t.is(cacheSizeLimit({ BPFSCRIPT_CACHE_SIZE: '64k' }), 64 * 1024);
  t.throws(() => cacheSizeLimit({ BPFSCRIPT_CACHE_SIZE: '-1' }), { instanceOf: CacheError });
});

test.serial('temporary names carry the pid', (t) => {
  t.is(temporaryPath('/c/x.bpf.o'), `/c/x.bpf.o.${process.pid}.tmp`);
  t.is(temporaryPath('/c/x', 'c'), `/c/x.${process.pid}.c`);
});
