// End to end: packages in -l. `-l package:NAME` shows what a package adds
// (providers, builtins and macros with their :variant lines; -v their
// descriptions) and warns about what breaks the doc rule; `-l` with a
// program loads the packages it imports, so a package's provider lists its
// probes. The provider is a page of code delegating to tracepoint
// (tests/fixtures/packages/bt-syscall), and it runs.
import test from 'ava';
import { cpSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../helpers/run.ts';

function project(...packages: string[]): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-pkglist-')));
  for (const p of packages) cpSync(join(repoRoot, 'tests/fixtures/packages', p), join(dir, 'node_modules', p), { recursive: true });
  return dir;
}

/** bin/bpfscript run from `dir` (the packages are found from the working folder). */
async function bpfscriptIn(dir: string, args: string[]) {
  const r = spawnSync(join(repoRoot, 'bin/bpfscript'), args, { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('-l package:NAME shows its providers, builtins and macros with their :variant lines; -v the descriptions', async (t) => {
  const dir = project('bt-syscall', 'bt-fixture');
  const plain = await bpfscriptIn(dir, ['-l', 'package:bt-syscall']);
  t.is(plain.stdout, `package bt-syscall 2.1.0: ${dir}/node_modules/bt-syscall\nprovider syscall (sc)\nbuiltin syscall_nr: int64 syscall_nr\n`);
  t.is(plain.stderr, '');
  t.is(plain.code, 0);
  const verbose = await bpfscriptIn(dir, ['-lv', 'package:bt-fixture']);
  t.is(verbose.stdout,
    `package bt-fixture 1.0.0: ${dir}/node_modules/bt-fixture\n` +
    'builtin answer\n' +
    'macro twice: int64 twice(int64 n)\n    `n` doubled by the package\'s C helper.\n' +
    'macro thrice: int64 thrice(int64 n)\n    `n` tripled by a C helper the macro imports itself: thrice.bpf.c is\n    compiled and linked only when a script uses thrice().\n' +
    'C unit fixture.bpf.c\n');
  t.is(verbose.stderr, 'WARNING: bt-fixture: builtin answer has no :variant naming it\nWARNING: bt-fixture: builtin answer has no description\n');
  t.is((await bpfscriptIn(dir, ['--no-warnings', '-l', 'package:bt-fixture'])).stderr, '');
});

test('-l package:NAME of a package that is not there is the import\'s error', async (t) => {
  const dir = project();
  const r = await bpfscriptIn(dir, ['-l', 'package:bt-nowhere']);
  t.is(r.stderr.split('\n')[0], 'stdin:1:1-20: ERROR: Unable to find suitable path for import');
  t.is(r.code, 1);
});

test('-l and -lv with a program load the packages it imports: a package provider lists its probes', async (t) => {
  const dir = project('bt-syscall');
  const listed = await bpfscriptIn(dir, ['-l', '-e', 'import "bt-syscall"; syscall:openat, sc:clos* { }']);
  t.is(listed.stderr, '');
  t.is(listed.stdout, 'tracepoint:syscalls:sys_enter_openat\ntracepoint:syscalls:sys_enter_close\ntracepoint:syscalls:sys_enter_close_range\n');
  const verbose = await bpfscriptIn(dir, ['-lv', '-e', 'import "bt-syscall"; syscall:openat { }']);
  t.is(verbose.stdout, 'tracepoint:syscalls:sys_enter_openat\n    int __syscall_nr\n    int dfd\n    const char * filename\n    int flags\n    umode_t mode\n');
});

test('the delegating provider runs: args are the tracepoint\'s, the package builtin reads its context', async (t) => {
  const dir = project('bt-syscall');
  const r = await bpfscriptIn(dir, ['-q', '-e', 'import "bt-syscall"; syscall:openat { printf("%d %d\\n", syscall_nr, args.__syscall_nr); exit(); }', '-c', '/bin/true']);
  // The child opens its libraries: an openat comes even on an idle machine.
  t.regex(r.stdout, /^257 257\n/);
  t.is(r.code, 0);
});
