// A bad environment ends in one clear line and a non-zero exit, at once: a
// cache path under /proc (Node's recursive mkdir spun there for ever), a file
// or a read-only file system as the cache, a missing clang, a `-c` command
// that cannot run, tracefs not mounted, a binary file as the script. And the
// cache cleans up after killed runs and keeps no generated C unless asked.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, type RunResult } from '../helpers/run.ts';

function tempDir(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-env-')));
}

const script = 'begin { print(7); exit(); }';
/** No cache setting from the test's own environment leaks in (empty is unset). */
const noCacheSettings = { BPFSCRIPT_CACHE_DIR: '', XDG_CACHE_HOME: '' };
/**
 * A hang is killed here (and then has no exit code). How long a failing run
 * takes is measured in-process by tests/core/build/cache.test.ts: start-up
 * on a loaded 2-core machine varies too much to time whole runs.
 */
const HANG_MS = 15_000;

async function timed(args: string[], env: Record<string, string> = {}): Promise<RunResult & { ms: number }> {
  const started = performance.now();
  const r = await bpfscript(args, { env, timeoutMs: HANG_MS });
  return { ...r, ms: performance.now() - started };
}

/** One line on stderr, exactly `line`; nothing on stdout; exit 1 (not killed as a hang). */
function endsWith(t: import('ava').ExecutionContext, r: RunResult & { ms: number }, line: string): void {
  t.is(r.stderr, `${line}\n`);
  t.is(r.stdout, '');
  t.is(r.code, 1, `after ${Math.round(r.ms)} ms`);
}

const setting = 'set BPFSCRIPT_CACHE_DIR to a directory you own and can write';

test.serial('HOME or BPFSCRIPT_CACHE_DIR under /proc: one line naming the setting, not an endless loop', async (t) => {
  endsWith(t, await timed(['-e', script], { ...noCacheSettings, HOME: '/proc/x' }),
    `ERROR: cannot use /proc/x/.cache/bpfscript (from HOME) as the compile cache: /proc/x: no such file or directory; ${setting}`);
  endsWith(t, await timed(['-e', script], { BPFSCRIPT_CACHE_DIR: '/proc/x' }),
    `ERROR: cannot use /proc/x as the compile cache: /proc/x: no such file or directory; ${setting}`);
});

test.serial('a file as the cache, or a path through one', async (t) => {
  const dir = tempDir();
  writeFileSync(join(dir, 'file'), '');
  endsWith(t, await timed(['-e', script], { BPFSCRIPT_CACHE_DIR: join(dir, 'file') }), `ERROR: cannot use ${dir}/file as the compile cache: it is not a directory; ${setting}`);
  endsWith(t, await timed(['-e', script], { BPFSCRIPT_CACHE_DIR: join(dir, 'file/c') }), `ERROR: cannot use ${dir}/file/c as the compile cache: ${dir}/file is not a directory; ${setting}`);
});

test.serial('a cache on a read-only file system (a tmpfs remounted read-only)', async (t) => {
  const mnt = tempDir();
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
  t.teardown(() => execFileSync('umount', [mnt]));
  mkdirSync(join(mnt, 'cache'), { mode: 0o700 });
  execFileSync('mount', ['-o', 'remount,ro', mnt]);
  endsWith(t, await timed(['-e', script], { BPFSCRIPT_CACHE_DIR: join(mnt, 'cache') }), `ERROR: cannot use ${mnt}/cache as the compile cache: read-only file system; ${setting}`);
  endsWith(t, await timed(['-e', script], { BPFSCRIPT_CACHE_DIR: join(mnt, 'new') }), `ERROR: cannot use ${mnt}/new as the compile cache: ${mnt}/new: read-only file system; ${setting}`);
});

test.serial('BPFSCRIPT_CLANG naming nothing runnable', async (t) => {
  const line = 'ERROR: BPFSCRIPT_CLANG=/nonexistent is not an executable file: set BPFSCRIPT_CLANG to a clang binary, or unset it to use the clang on PATH';
  endsWith(t, await timed(['-e', script], { BPFSCRIPT_CLANG: '/nonexistent' }), line);
  // Imported C units and the script's C definitions meet it first; the same line.
  endsWith(t, await timed(['-e', '#define X 1\nbegin { print(X); exit(); }'], { BPFSCRIPT_CLANG: '/nonexistent' }), line.replace('ERROR: ', "ERROR: The script's C definitions need clang: "));
});

test.serial('-c with a command that does not exist or is not executable fails before attaching, as upstream', async (t) => {
  const dir = tempDir();
  writeFileSync(join(dir, 'data'), 'not a program\n');
  chmodSync(join(dir, 'data'), 0o644);
  const probe = 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n = count(); }';
  endsWith(t, await timed(['-e', probe, '-c', '/nonexistent/cmd']), "ERROR: Failed to fork child: Path '/nonexistent/cmd' does not exist or is not executable (No such file or directory)");
  endsWith(t, await timed(['-e', probe, '-c', `${dir}/data arg`]), `ERROR: Failed to fork child: Path '${dir}/data' does not exist or is not executable (No such file or directory)`);
  endsWith(t, await timed(['-e', probe, '-c', 'bpfscript-no-such-command']), "ERROR: Failed to fork child: Path 'bpfscript-no-such-command' does not exist or is not executable (No such file or directory)");
});

test.serial('tracefs not mounted: tracepoints and -lv say so and how to mount it', async (t) => {
  const root = tempDir();
  const env = { BPFSCRIPT_TRACEFS: root };
  const why = `tracefs is not mounted (${root}/events does not exist): mount it with 'mount -t tracefs nodev ${root}'`;
  const r = await timed(['-e', 'tracepoint:syscalls:sys_enter_getppid { exit(); }'], env);
  t.is(r.stderr.split('\n')[0], `stdin:1:1-38: ERROR: ${why}`);
  t.is(r.code, 1);
  endsWith(t, await timed(['-lv', 'tracepoint:sched:sched_switch'], env), `ERROR: ${why}`);
  const all = await timed(['-l'], env);
  t.regex(all.stdout, /^software:cpu-clock:/m, 'other providers still list theirs');
  t.is(all.stderr, `ERROR: ${why}\n`);
  t.is(all.code, 1);
});

test.serial('a binary file as the script: a located error quoting an escaped excerpt, no raw bytes', async (t) => {
  const r = await timed(['/bin/true']);
  t.is(r.code, 1);
  t.regex(r.stderr, /^\/bin\/true:1:\d+-\d+: ERROR: syntax error/);
  t.notRegex(r.stderr, /[\x00-\x08\x0b-\x1f\x7f\ufffd]/);
  t.true(r.stderr.split('\n')[1]!.length <= 86, r.stderr.split('\n')[1]);
});

test.serial('the cache: stale temporary files of killed runs are removed; the generated C is kept only with -v', async (t) => {
  const cache = tempDir();
  const deadPid = 4_194_305; // above the kernel's largest pid_max
  const stale = [`0123.bpf.o.${deadPid}.tmp`, `0123.${deadPid}.c`];
  const old = new Date(Date.now() - 120_000);
  for (const f of stale) {
    writeFileSync(join(cache, f), 'x');
    utimesSync(join(cache, f), old, old);
  }
  const env = { BPFSCRIPT_CACHE_DIR: cache };
  const r = await bpfscript(['-e', 'begin { print(70001); exit(); }'], { env });
  t.regex(r.stdout, /^70001\n/);
  for (const f of stale) t.false(existsSync(join(cache, f)), f);
  t.deepEqual(readdirSync(cache).filter((f) => f.endsWith('.c')), []);
  const v = await bpfscript(['-v', '-e', 'begin { print(70002); exit(); }'], { env });
  const object = /^BPF object (\S+)\.bpf\.o /m.exec(v.stderr)?.[1];
  t.true(existsSync(`${object}.c`), v.stderr);
});
