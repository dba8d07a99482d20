// Hardware watchpoints (perf breakpoints) on a process started with -c.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { bpfscript, repoRoot } from '../helpers/run.ts';

/** The watch target, built without PIE so its global has a fixed address. */
function watchTarget(): { path: string; address: string } {
  const dir = join(repoRoot, '.cache', 'fixtures');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'watch-target-nopie');
  const tmp = `${path}.${process.pid}`;
  execFileSync('cc', ['-O1', '-no-pie', '-o', tmp, join(repoRoot, 'tests', 'fixtures', 'programs', 'watch-target.c')]);
  execFileSync('mv', [tmp, path]);
  const nm = execFileSync('nm', [path], { encoding: 'utf8' });
  const address = /^([0-9a-f]+) [bB] bs_watched$/m.exec(nm)![1];
  return { path, address: `0x${address.replace(/^0+/, '')}` };
}

test('a write watchpoint counts every write of the watched global', async (t) => {
  const { path, address } = watchTarget();
  const count = async (n: number) => {
    const r = await bpfscript(['-q', '-e', `watchpoint:${address}:8:w { @writes = count(); }`, '-c', `${path} ${n}`]);
    return Number(/@writes: (\d+)/.exec(r.stdout)?.[1] ?? -1);
  };
  const few = await count(5);
  const many = await count(105);
  t.true(few >= 5, `writes for 5: ${few}`);
  // The loop's writes are exactly the difference (start-up code may touch the page too).
  t.is(many - few, 100);
});

test('watchpoint errors: bad address, length and mode; no process to watch', async (t) => {
  const a = await bpfscript(['-e', 'watchpoint:0x1000:3:w { }']);
  t.regex(a.stderr, /ERROR: Invalid watchpoint length: 3 \(1, 2, 4 or 8\)/);
  const b = await bpfscript(['-e', 'watchpoint:0x1000:8:q { }']);
  t.regex(b.stderr, /ERROR: Invalid watchpoint mode: q/);
  const c = await bpfscript(['-e', 'watchpoint:0x1000:8:w { }']);
  t.regex(c.stderr, /ERROR: watchpoint probes need a process to watch: use -p PID or -c CMD/);
  for (const r of [a, b, c]) t.is(r.code, 1);
});
