// time(), strftime(), errorf()/warnf(), cat(), system() and join() against
// the kernel, in the text and the JSON output formats.
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript } from '../helpers/run.ts';

async function text(program: string, ...extra: string[]) {
  return bpfscript(['-q', ...extra, '-e', program]);
}

async function json(program: string, ...extra: string[]) {
  const r = await bpfscript(['-q', '-f', 'json', ...extra, '-e', program]);
  return { ...r, messages: r.stdout.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

test('time() prints the wall-clock time, %H:%M:%S and a newline by default', async (t) => {
  const before = new Date();
  const r = await text('begin { time(); time("%Y-%m-%d|"); printf("\\n"); exit(); }');
  const [clock, date] = r.stdout.split('\n');
  t.regex(clock!, /^\d\d:\d\d:\d\d$/);
  const [h, m, s] = clock!.split(':').map(Number);
  const seconds = h! * 3600 + m! * 60 + s!;
  const expected = before.getHours() * 3600 + before.getMinutes() * 60 + before.getSeconds();
  t.true(Math.abs(seconds - expected) < 30 || Math.abs(seconds - expected) > 86_000, `${clock} vs ${before.toTimeString()}`);
  t.is(date, `${before.getFullYear()}-${pad(before.getMonth() + 1)}-${pad(before.getDate())}|`);
  t.is(r.stdout.slice(clock!.length + date!.length + 2), '\n\n');
});

test('time() in JSON', async (t) => {
  const r = await json('begin { time("%Y"); exit(); }');
  t.deepEqual(r.messages, [{ type: 'time', data: String(new Date().getFullYear()) }]);
});

test('strftime() formats a boot-clock timestamp as wall-clock time, %f is microseconds', async (t) => {
  const before = Date.now();
  const r = await text('begin { printf("%s\\n", strftime("%s.%f", nsecs)); exit(); }');
  const after = Date.now();
  const m = /^(\d+)\.(\d{6})\n/.exec(r.stdout);
  t.truthy(m, r.stdout);
  const ms = Number(m![1]) * 1000 + Number(m![2]) / 1000;
  t.true(ms >= before - 5 && ms <= after + 5, `${ms} not in [${before}, ${after}]`);
});

test('strftime() values in tuples, variables and maps print as text; %%f stays literal', async (t) => {
  const r = await text('begin { $t = strftime("%Y", nsecs); print(($t, 1)); @m[1] = strftime("%%f %Y", nsecs); @k[strftime("%Y", nsecs)] = 1; exit(); }');
  const y = new Date().getFullYear();
  t.is(r.stdout, `(${y}, 1)\n\n\n@k[${y}]: 1\n@m[1]: %f ${y}\n`);
});

test('strftime() in JSON is a string', async (t) => {
  const r = await json('begin { print(strftime("%Y", nsecs)); @s = strftime("%Y", nsecs); exit(); }');
  const y = String(new Date().getFullYear());
  t.deepEqual(r.messages, [{ type: 'value', data: y }, { type: 'map', data: { '@s': y } }]);
});

test('strftime() needs a literal format and an integer', async (t) => {
  const a = await text('begin { $f = "%Y"; print(strftime($f, nsecs)); }');
  t.is(a.stderr, 'stdin:1:35-37: ERROR: strftime: The first argument must be a string literal\nbegin { $f = "%Y"; print(strftime($f, nsecs)); }\n                                  ~~\n');
  const b = await text('begin { print(strftime("%Y", "x")); }');
  t.regex(b.stderr, /ERROR: strftime\(\) expects an integer timestamp \(nanoseconds since boot\), got string\[2\]/);
});

test('errorf() and warnf() print located messages (stderr) and the program goes on', async (t) => {
  const r = await text('begin { errorf("Something bad with args: %d, %s", 10, "arg2"); warnf("careful %d", 1); printf("after\\n"); exit(); }');
  t.is(r.stderr, 'stdin:1:9-62: ERROR: Something bad with args: 10, arg2\nstdin:1:64-86: WARNING: careful 1\n');
  t.is(r.stdout, 'after\n\n\n');
  t.is(r.code, 0);
});

test('errorf() and warnf() in JSON carry the location', async (t) => {
  const r = await json('begin { errorf("bad %d", 10); warnf("careful"); exit(); }');
  t.deepEqual(r.messages, [
    { type: 'errorf', msg: 'bad 10', filename: 'stdin', line: 1, col: 9 },
    { type: 'warnf', msg: 'careful', filename: 'stdin', line: 1, col: 31 },
  ]);
});

test('errorf() in a script file names the file and line', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'bpfscript-async-')), 'e.bt');
  writeFileSync(file, 'begin {\n  errorf("x=%d", 1 + 1);\n  exit();\n}\n');
  const r = await bpfscript(['-q', file]);
  t.is(r.stderr, `${file}:2:3-24: ERROR: x=2\n`);
});

test('errorf() and warnf() in a macro body name each call they were expanded from, quoting it (as bpftrace)', async (t) => {
  const r = await text('macro inner() { warnf("deep"); } macro outer() { inner(); }\nbegin { outer(); exit(); }');
  t.is(r.stderr, [
    'stdin:1:17-30: WARNING: deep',
    'stdin:1:50-57: WARNING: expanded from',
    'macro inner() { warnf("deep"); } macro outer() { inner(); }',
    '                                                 ~~~~~~~',
    'stdin:2:9-16: WARNING: expanded from',
    'begin { outer(); exit(); }',
    '        ~~~~~~~',
    '',
  ].join('\n'));
});

test('cat() prints a file (up to max_cat_bytes); a missing file is an error message', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-cat-'));
  writeFileSync(join(dir, 'f7'), 'line one\nline two\n');
  const r = await text(`begin { cat("${dir}/f%d", 7); cat("${dir}/missing"); exit(); }`);
  t.is(r.stdout, 'line one\nline two\n\n\n');
  // Worded as upstream's: the errno's text in parentheses.
  t.is(r.stderr, `ERROR: failed to open file '${dir}/missing' (No such file or directory)\n`);
  // A file that opens but cannot be read (a folder) prints what was read: nothing.
  const folder = await text(`begin { cat("${dir}"); printf("after\\n"); exit(); }`);
  t.is(folder.stderr, '');
  t.is(folder.stdout, 'after\n\n\n');
  writeFileSync(join(dir, 'big'), 'x'.repeat(100));
  const small = await text(`config = { max_cat_bytes = 10 } begin { cat("${dir}/big"); exit(); }`);
  t.is(small.stdout, `${'x'.repeat(10)}\n\n`);
  const j = await json(`begin { cat("${dir}/f7"); exit(); }`);
  t.deepEqual(j.messages, [{ type: 'cat', data: 'line one\nline two\n' }]);
});

test('system() runs a command with --unsafe and prints its output', async (t) => {
  const r = await text('begin { system("echo %s %d", "hello", 42); exit(); }', '--unsafe');
  t.is(r.stdout, 'hello 42\n\n\n\n');
  const j = await json('begin { system("printf abc"); exit(); }', '--unsafe');
  t.deepEqual(j.messages, [{ type: 'syscall', data: 'abc' }]);
});

test('join() joins a user-space argv with spaces or a separator', async (t) => {
  const prog = 'tracepoint:syscalls:sys_enter_execve /pid == cpid/ { join(args.argv); join(args.argv, ","); }';
  const r = await text(prog, '-c', '/bin/true a "b c" d');
  t.is(r.stdout, '/bin/true a b c d\n/bin/true,a,b c,d\n\n\n');
  const j = await json(prog, '-c', '/bin/true x');
  t.deepEqual(j.messages, [{ type: 'join', data: '/bin/true x' }, { type: 'join', data: '/bin/true,x' }]);
});

test('misuse of the async builtins is a located error', async (t) => {
  const cases: [string, RegExp][] = [
    ['begin { time(1); }', /stdin:1:14-15: ERROR: time: The first argument must be a string literal/],
    ['begin { errorf(); }', /ERROR: errorf\(\) requires at least 1 arguments? \(0 provided\)/],
    ['begin { warnf("%d"); }', /ERROR: not enough arguments for format string \(0 supplied, 1 expected\)/],
    ['begin { $x = cat("/x"); }', /stdin:1:14-23: ERROR: Value has no type and cannot be assigned/],
    ['begin { join(1, 2); }', /ERROR: join: The separator must be a string literal/],
    ['begin { join("s"); }', /ERROR: join\(\) expects a char \*\[\] \(an array of string pointers\), got string\[2\]/],
  ];
  for (const [program, expected] of cases) {
    const r = await text(program);
    t.is(r.code, 1, program);
    t.regex(r.stderr, expected, program);
  }
});
