// -k: failed helper calls (probe reads, map updates) are reported with the
// script location, as bpftrace's warnings; without -k nothing is said.
import test from 'ava';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

const script = 'begin { $p = (struct task_struct *)0x10; printf("%d\\n", $p->pid); printf("[%s]\\n", str(0x20)); exit(); }';

test('-k reports failed probe reads with their location', async (t) => {
  const r = await bpfscript(['-k', '-q', '-e', script]);
  t.is(r.stdout, '0\n[]\n\n\n');
  t.is(r.stderr, [
    'stdin:1:57-64: WARNING: Numerical result out of range',
    'Additional Info - helper: probe_read_kernel, retcode: -34',
    script,
    `${' '.repeat(56)}~~~~~~~`,
    'stdin:1:84-93: WARNING: Numerical result out of range',
    'Additional Info - helper: probe_read_str, retcode: -34',
    script,
    `${' '.repeat(83)}~~~~~~~~~`,
    '',
  ].join('\n'));
});

test('without -k the same reads are silent', async (t) => {
  const r = await bpfscript(['-q', '-e', script]);
  t.is(r.stdout, '0\n[]\n\n\n');
  t.is(r.stderr, '');
});

test('-k reports a read of a key the map does not have; the value read is zero', async (t) => {
  const program = 'begin { @m[1] = 5; @s = 1; printf("%d %d %d\\n", @m[2], @m[1], @s); exit(); }';
  const r = await bpfscript(['-k', '-q', '-e', program]);
  t.is(r.stdout, '0 5 1\n\n\n@m[1]: 5\n@s: 1\n');
  t.is(r.stderr, [
    "stdin:1:49-54: WARNING: Can't lookup map element because it does not exist.",
    'Additional Info - helper: map_lookup_elem, retcode: 0',
    program,
    `${' '.repeat(48)}~~~~~`,
    '',
  ].join('\n'));
  const silent = await bpfscript(['-q', '-e', program]);
  t.is(silent.stderr, '');
  t.is(silent.stdout, r.stdout);
});

test('-k: a script struct read through a uprobe argument is user memory (probe_read_user), located inside the parentheses as bpftrace does', async (t) => {
  const prog = fixtureProgram('c-types-target');
  const script = `struct pair { int m; int n; } uprobe:${prog}:bs_ctypes_target { $v = ((struct pair *)(arg0 * 0)).m; exit(); }`;
  const col = script.indexOf('(struct pair *)') + 1;
  const json = await bpfscript(['-k', '-q', '-f', 'json', '-e', script, '-c', prog]);
  t.is(json.stdout.split('\n')[0], `{"type": "helper_error", "msg": "Bad address", "helper": "probe_read_user", "retcode": -14, "filename": "stdin", "line": 1, "col": ${col}}`, json.stderr);
  const text = await bpfscript(['-k', '-q', '-e', script, '-c', prog]);
  t.regex(text.stderr, new RegExp(`^stdin:1:${col}-\\d+: WARNING: Bad address\nAdditional Info - helper: probe_read_user, retcode: -14\n`));
});
