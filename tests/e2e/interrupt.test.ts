// Ctrl-C under heavy load: each event runs a command (system()) and events come
// faster than they are handled. The run still ends soon, with the end
// probe's output: events still queued 250 ms after the signal are dropped
// (bpftrace drops them at once), and a long backlog does not keep the signal
// from being seen.
import test from 'ava';
import { spawn } from 'node:child_process';
import { cli, repoRoot } from '../helpers/run.ts';

test('SIGINT while every sched_switch runs a command: end runs and the process exits promptly', async (t) => {
  const child = spawn(cli, ['--unsafe', '-e', 'tracepoint:sched:sched_switch { system("echo foo"); } end { print("end"); }'], { cwd: repoRoot });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  let signalledAt = 0;
  const attached = setInterval(() => {
    // Two seconds of load after the probes are attached: a backlog of thousands of events.
    if (!signalledAt && /Attached 2 probes/.test(stderr)) {
      signalledAt = -1;
      setTimeout(() => {
        signalledAt = Date.now();
        child.kill('SIGINT');
      }, 2000);
    }
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(attached);
  clearTimeout(killer);
  t.true(signalledAt > 0, stderr);
  t.is(code, 0, stderr);
  t.true(Date.now() - signalledAt < 10_000, `${Date.now() - signalledAt} ms after SIGINT`);
  t.regex(stdout, /^foo\n/);
  t.regex(stdout, /\nend\n\n\n$/);
});
