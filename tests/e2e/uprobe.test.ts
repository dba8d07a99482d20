// uprobes and uretprobes on a fixture binary and on libc, against the kernel.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

test('uprobe args and uretprobe retval on a fixture function', async (t) => {
  const prog = fixtureProgram('uprobe-target');
  const r = await bpfscript(['-q', '-e', `uprobe:${prog}:bs_uprobe_target { @[arg0, arg1] = count(); } uretprobe:${prog}:bs_uprobe_target { @ret = sum(retval); }`, '-c', `${prog} 4`]);
  t.is(r.stdout, '\n\n@[0, 0]: 1\n@[1, 10]: 1\n@[2, 20]: 1\n@[3, 30]: 1\n@ret: 66\n');
});

test('a library by name (libc), wildcards, and -l', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-q', '-e', 'uprobe:libc:syscal? /pid == cpid/ { @[probe] = count(); }', '-c', `${prog} 7`]);
  t.regex(r.stdout, /^\n\n@\[uprobe:\/\S+libc\.so\.6:syscall\]: 7\n$/);
  const list = await bpfscript(['-l', `uprobe:${fixtureProgram('uprobe-target')}:bs_*`]);
  t.is(list.stdout, `uprobe:${fixtureProgram('uprobe-target')}:bs_uprobe_target\n`);
});

test('uprobe errors: missing binary, missing symbol', async (t) => {
  const a = await bpfscript(['-e', 'uprobe:/no/such/binary:f { }']);
  t.is(a.stderr, "stdin:1:1-25: ERROR: uprobe target file '/no/such/binary' does not exist or is not executable\nuprobe:/no/such/binary:f { }\n~~~~~~~~~~~~~~~~~~~~~~~~\n");
  const b = await bpfscript(['-e', `uprobe:${fixtureProgram('uprobe-target')}:nope { }`]);
  t.regex(b.stderr, /ERROR: No matches for uprobe \S+uprobe-target:nope\.\n/);
});

/** The debugfile fixture stripped into `dir`, its symbols in `prog.debug` beside it (found by .gnu_debuglink). */
function strippedWithDebugFile(dir: string): string {
  const built = fixtureProgram('uprobe-debugfile-target');
  const prog = join(dir, 'prog');
  execFileSync('objcopy', ['--only-keep-debug', built, `${prog}.debug`]);
  execFileSync('objcopy', ['--strip-all', `--add-gnu-debuglink=${prog}.debug`, built, prog]);
  return prog;
}

test('a function named in full that only the separate debug file knows (a static one) attaches, as bpftrace finds it; listings and wildcards keep to the file\'s own symbols', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-debugfile-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const prog = strippedWithDebugFile(dir);
  const r = await bpfscript(['-q', '-e', `uprobe:${prog}:bs_hidden_work { @[probe] = count(); }`, '-c', `${prog} 3`]);
  t.is(r.stdout, `\n\n@[uprobe:${prog}:bs_hidden_work]: 3\n`, r.stderr);
  const list = await bpfscript(['-l', `uprobe:${prog}:*`]);
  t.false(list.stdout.includes('bs_hidden_work'), list.stdout);
  // Without the debug file, the name is unknown again.
  rmSync(`${prog}.debug`);
  const gone = await bpfscript(['-e', `uprobe:${prog}:bs_hidden_work { }`]);
  t.regex(gone.stderr, /ERROR: No matches for uprobe \S+prog:bs_hidden_work\.\n/);
});
