// How a run ends: lost events are counted and reported; nothing stays loaded
// or attached after a normal exit, Ctrl-C, or even SIGKILL (links and
// programs are file descriptors, released with the process).
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { bpfscript, cli, fixtureProgram } from '../helpers/run.ts';

/** IDs of the BPF programs a process holds (from /proc/PID/fdinfo). */
function programsOf(pid: number): number[] {
  const ids: number[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    const m = /^prog_id:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
    if (m) ids.push(Number(m[1]));
  }
  return [...new Set(ids)];
}

function loaded(id: number): boolean {
  try {
    execFileSync('bpftool', ['prog', 'show', 'id', String(id)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a run, waits until it has attached, returns it with the programs it
 * holds. Runs that end by exit() do so 2 s after attaching: long enough for
 * their programs to be listed first on a loaded machine.
 */
async function attachedRun(program: string) {
  const run = spawn(cli, ['-e', program]);
  await new Promise<void>((resolve) => run.stderr.on('data', (d) => /Attached/.test(String(d)) && resolve()));
  return { run, ids: programsOf(run.pid!), closed: new Promise((resolve) => run.on('close', resolve)) };
}

async function gone(ids: number[]): Promise<number[]> {
  // The kernel frees a program once its last reference goes; give it a moment.
  for (let i = 0; i < 50 && ids.some(loaded); i++) await new Promise((r) => setTimeout(r, 100));
  return ids.filter(loaded);
}

test('a full ring buffer drops events, counted in the kernel and reported at exit', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-q', '-e', 'config = { perf_rb_pages = 1 } tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("%d %d %d %d\\n", tid, pid, cpu, nsecs); }', '-c', `${prog} 20000`]);
  const lost = Number(/^Lost (\d+) events$/m.exec(r.stderr)?.[1] ?? 0);
  const printed = r.stdout.split('\n').filter((l) => /^\d+ \d+ \d+ -?\d+$/.test(l)).length;
  t.true(lost > 0, r.stderr);
  t.is(printed + lost, 20000);
});

for (const signal of ['SIGKILL', 'SIGINT', 'SIGTERM'] as const) {
  test(`after ${signal} no program of the run stays loaded`, async (t) => {
    const { run, ids, closed } = await attachedRun('tracepoint:syscalls:sys_enter_getppid { @ = count(); } interval:s:60 { exit(); }');
    t.is(ids.length, 2);
    run.kill(signal);
    await closed;
    t.deepEqual(await gone(ids), []);
  });
}

test('after SIGKILL and after exit() no program of shared syscalls hooks stays loaded (the hook\'s, each number\'s)', async (t) => {
  // 8 probes or more share the sys_enter hook: a program per syscall, the hook's, and interval's.
  const script = 'tracepoint:syscalls:sys_enter_get* { @ = count(); } interval:s:60 { exit(); }';
  const killed = await attachedRun(script);
  t.true(killed.ids.length > 8, String(killed.ids.length));
  killed.run.kill('SIGKILL');
  await killed.closed;
  t.deepEqual(await gone(killed.ids), []);
  const ended = await attachedRun(script.replace('interval:s:60', 'interval:s:2'));
  t.is(ended.ids.length, killed.ids.length);
  await ended.closed;
  t.deepEqual(await gone(ended.ids), []);
});

test('after exit() no program of the run stays loaded', async (t) => {
  const { ids, closed } = await attachedRun('tracepoint:syscalls:sys_enter_getppid { @ = count(); } interval:s:2 { exit(); }');
  t.is(ids.length, 2);
  await closed;
  t.deepEqual(await gone(ids), []);
});
