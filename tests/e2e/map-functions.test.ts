// The map functions end to end: delete (its value, its forms, the warning when
// a failure would go unseen), has_key, len, find (stdlib/maps.bt) and
// is_scalar, in begin and in a tracepoint, and each misuse with upstream's words.
import test from 'ava';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

const timeoutMs = 120_000;

async function run(program: string, ...extra: string[]) {
  return bpfscript(['-q', '-e', program, ...extra], { timeoutMs });
}

test('delete says whether the key was there; delete(@m) for a map without keys; the old delete(@m[k])', async (t) => {
  const r = await run('begin { @s = 1; @a[1] = 1; @a[2] = 2; @b[1, "x"] = 1; @c = count(); printf("%d %d %d %d %d %d\\n", delete(@s), delete(@a, 1), delete(@a, 1), delete(@b, (1, "x")), delete(@a[2]), delete(@c)); exit(); }');
  t.is(r.stderr, '');
  t.is(r.stdout, '1 1 0 1 1 1\n\n\n');
});

test('a delete whose value nobody reads reports a missing key at run time', async (t) => {
  const r = await run('begin { @a[1] = 1; delete(@a, 2); delete(@a, 1); $x = delete(@a, 3); if (!delete(@a, 4)) { printf("4 was not there\\n"); } _ = delete(@a, 5); exit(); }');
  t.is(r.stdout, '4 was not there\n\n\n');
  t.is(r.stderr, [
    "stdin:1:20-33: WARNING: Can't delete map element because it does not exist.",
    'Additional Info - helper: map_delete_elem, retcode: -2',
    'begin { @a[1] = 1; delete(@a, 2); delete(@a, 1); $x = delete(@a, 3); if (!delete(@a, 4)) { printf("4 was not there\\n"); } _ = delete(@a, 5); exit(); }',
    '                   ~~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('the delete warning in a tracepoint, and as json', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await run('begin { @m[0] = 1; } tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { delete(@m, tid); } end { clear(@m); }', '-c', `${prog} 2`);
  t.is(r.stdout, '\n\n');
  const warning = "stdin:1:76-91: WARNING: Can't delete map element because it does not exist.\n";
  t.is(r.stderr.split('\n').filter((l) => l.startsWith('stdin:')).join('\n') + '\n', warning + warning);
  const j = await bpfscript(['-q', '-f', 'json', '-e', 'begin { @a[1] = 1; delete(@a, 2); clear(@a); exit(); }'], { timeoutMs });
  t.is(j.stdout.split('\n')[0], '{"type": "helper_error", "msg": "No such file or directory", "helper": "map_delete_elem", "retcode": -2, "filename": "stdin", "line": 1, "col": 20}');
});

test('has_key, len, find and is_scalar in begin and in a tracepoint', async (t) => {
  const a = await run('begin { @m[1] = (1, "one"); @m[2] = (2, "two"); @s = 5; let $v; $found = find(@m, 2, $v); $missing = find(@m, 3, $v); printf("%d %d %d %d %d %d %d %s\\n", has_key(@m, 1), has_key(@m, 3), len(@m), is_scalar(@s), is_scalar(@m), $found, $missing, $v.1); clear(@m); clear(@s); exit(); }');
  t.is(a.stderr, '');
  t.is(a.stdout, '1 0 2 1 0 1 0 two\n\n\n');
  const prog = fixtureProgram('getppid');
  const b = await run('tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n[tid] = count(); let $c; if (find(@n, tid, $c)) { printf("%d %d %d\\n", $c, has_key(@n, tid), len(@n)); } delete(@n, tid); }', '-c', `${prog} 2`);
  t.is(b.stderr, '');
  t.is(b.stdout, '1 1 1\n1 1 1\n\n\n');
});

test('misuse of the map functions is refused with upstream words', async (t) => {
  const error = async (program: string) => (await run(program)).stderr.split('\n')[0];
  t.is(await error('begin { @g = 2; if (has_key(@g, 2)) { printf("ok\\n"); } }'), 'stdin:1:21-35: ERROR: call to has_key() expects a map with explicit keys (non-scalar map)');
  t.is(await error('begin { @g[1, "hi"] = 2; if (has_key(@g, (1, 2))) { printf("ok\\n"); } }'), "stdin:1:30-49: ERROR: Argument mismatch for @g: trying to access with arguments: '(int8,int8)' when map expects arguments: '(int8,string[3])'");
  t.is(await error('begin { @ = 0; printf("%d\\n", len(@)); }'), 'stdin:1:31-37: ERROR: call to len() expects a map with explicit keys (non-scalar map)');
  t.is(await error('begin { @y[1] = 2; delete(@y); }'), 'stdin:1:20-30: ERROR: call to delete() with a single argument expects a map without explicit keys (scalar map)');
  t.is(await error('begin { @x = 1; @y = 5; delete(@x, @y); }'), 'stdin:1:25-39: ERROR: call to delete() with two arguments expects a map with explicit keys (non-scalar map)');
  t.is(await error('begin { @x = 1; delete(@x[1]); }'), 'stdin:1:17-30: ERROR: call to delete() with two arguments expects a map with explicit keys (non-scalar map)');
  t.is(await error('begin { delete(1); }'), 'stdin:1:16-17: ERROR: delete() expects a map as its first argument');
  t.is(await error('begin { @m = 1; let $v; find(@m, 1, $v); }'), 'stdlib/maps.bt:18:5-75: ERROR: call to find expects a map with explicit keys (non-scalar map)');
  t.is(await error('begin { @x[1] = 1; let $y; find(@x, 1); }'), 'stdin:1:28-39: ERROR: Call to find() has arguments that do not match any definition.');
  t.is(await error('begin { @x[1, "hi"] = 0; $y = "hello"; find(@x, (1, "hi"), $y); }'), "stdlib/maps.bt:22:5-12: ERROR: Type mismatch for $y: trying to assign value of type 'int64' when variable already contains a value of type 'string[6]'");
});

test('print() of a scalar map that holds nothing shows the zero of its kind; the maps printed at exit leave it out', async (t) => {
  const r = await run('begin { print(@n); @c = count(); clear(@c); print(@c); @s = stats(4); clear(@s); print(@s); @r = (a = 1, b = (2, "x")); clear(@r); print(@r); @k[1] = 1; clear(@k); print(@k); exit(); } end { @n = 7; }');
  t.is(r.stderr, '');
  t.is(r.stdout, '@n: 0\n@c: 0\n@s: { .count = 0, .average = 0, .total = 0 }\n@r: { .a = 0, .b = (0, ) }\n\n\n@n: 7\n');
  const json = await run('begin { print(@c); exit(); } end { @c = count(); clear(@c); }', '-f', 'json');
  t.is(json.stdout, '{"type": "map", "data": {"@c": 0}}\n');
});
