// Hardware watchpoints (perf breakpoints) on a process started with -c.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { bpfscript, fixtureProgram, repoRoot } from '../helpers/run.ts';

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

/**
 * Whether this machine delivers hardware breakpoints to perf at all: a tiny
 * program watches a variable of its own and counts its 10 writes. Some VMs
 * do not pass debug registers through; there every count stays 0.
 */
function breakpointsFire(): { fire: boolean; why: string } {
  const out = execFileSync(fixtureProgram('breakpoint-check'), { encoding: 'utf8' }).trim();
  if (out === '10') return { fire: true, why: '' };
  return { fire: false, why: out.startsWith('-1') ? `perf_event_open failed: ${out.slice(3)}` : `a breakpoint on 10 writes counted ${out}` };
}

test('a write watchpoint counts every write of the watched global', async (t) => {
  const { path, address } = watchTarget();
  const run = (n: number) => bpfscript(['-e', `watchpoint:${address}:8:w { @writes = count(); }`, '-c', `${path} ${n}`]);
  const count = (r: { stdout: string }) => Number(/@writes: (\d+)/.exec(r.stdout)?.[1] ?? 0);
  const few = await run(5);
  const many = await run(105);
  // Wherever it runs, the script loads, attaches its watchpoint and ends with the child.
  for (const r of [few, many]) {
    t.is(r.code, 0, r.stderr);
    t.is(r.stderr, 'Attached 1 probe\n');
  }
  const machine = breakpointsFire();
  if (!machine.fire) {
    t.log(`hardware breakpoints do not fire on this machine (${machine.why}): the write counts are not checked`);
    return;
  }
  t.true(count(few) >= 5, `writes for 5: ${count(few)}`);
  // The loop's writes are exactly the difference (start-up code may touch the page too).
  t.is(count(many) - count(few), 100);
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
