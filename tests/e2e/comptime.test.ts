// comptime, typeinfo, typeof, sizeof, offsetof, fail(), probetype, arch, is_literal.
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

const run = (program: string) => bpfscript(['-q', '-e', program]);

test('typeinfo prints upstream\'s record and folds in comptime conditions', async (t) => {
  const r = await run('begin { print(typeinfo(1)); $a = (uint64)3; if comptime (typeinfo($a).full_type == "uint64") { printf("u64\\n"); } else { printf("other\\n"); } print(typeinfo("ab")); exit(); }');
  t.is(r.stdout, '{ .btf_id = 0, .base_type = int, .full_type = int8 }\nu64\n{ .btf_id = 0, .base_type = string, .full_type = string[3] }\n\n\n');
});

test('if comptime prunes the dead branch before it is type checked', async (t) => {
  const r = await run('begin { if comptime (1 > 2) { $x = "s" + 1; fail("pruned"); } else { printf("kept\\n"); } exit(); }');
  t.is(r.stdout, 'kept\n\n\n');
  t.is(r.code, 0);
});

test('fail() in a reached branch is a located compile error (the signal macro case)', async (t) => {
  const r = await bpfscript(['-e', 'interval:s:1 { if comptime (probetype != "kprobe") { fail("signal only works with kprobes, not %s (%d)", "interval", 7); } }']);
  t.is(r.code, 1);
  t.is(r.stderr, 'stdin:1:54-120: ERROR: signal only works with kprobes, not interval (7)\ninterval:s:1 { if comptime (probetype != "kprobe") { fail("signal only works with kprobes, not %s (%d)", "interval", 7); } }\n                                                     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n');
});

test('a comptime condition that depends on run-time values is an error', async (t) => {
  const r = await bpfscript(['-e', 'begin { if comptime (pid > 1) { exit(); } }']);
  t.is(r.code, 1);
  t.regex(r.stderr, /^stdin:1:22-29: ERROR: Unable to evaluate comptime condition/);
});

test('probetype, arch, is_literal, sizeof, offsetof, typeof and comptime ternaries', async (t) => {
  const r = await run('begin { printf("%s %s %d %d\\n", probetype, arch, is_literal(1), is_literal(pid)); $r = (a = (uint8)1, b = 2); printf("%d %d %d\\n", sizeof(uint32), sizeof($r), offsetof($r, b)); let $y: typeof($r.a) = 255; $y += 1; $c = (typeof(uint8))-1; printf("%d %d\\n", $y, $c); print(comptime (1 < 2) ? "yes" : 5); exit(); } interval:s:1 { printf("%s\\n", probetype); }');
  t.is(r.stdout, `special ${process.arch === 'x64' ? 'x86_64' : 'aarch64'} 1 0\n4 2 1\n0 255\nyes\n\n\n`);
});

test('stdlib meta macros written with typeinfo: is_str, is_integer, is_unsigned_integer, is_ptr, is_array, static_assert', async (t) => {
  const r = await run('begin { printf("%d %d %d %d %d %d %d\\n", is_str(comm), is_str(pid), is_integer(pid), is_unsigned_integer(pid), is_unsigned_integer(-1), is_ptr(curtask), is_array(curtask->tasks)); static_assert(sizeof(uint32) == 4, "uint32 is 4 bytes"); if comptime (is_str(comm)) { printf("str\\n"); } exit(); }');
  t.is(r.stdout, '1 0 1 1 0 1 0\nstr\n\n\n');
  const bad = await bpfscript(['-e', 'begin { static_assert(sizeof(uint32) == 8, "uint32 is not 8 bytes"); }']);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /^stdlib\/meta\.bt:\d+:\d+-\d+: ERROR: uint32 is not 8 bytes\n/);
  t.regex(bad.stderr, /stdin:1:9-68: ERROR: in expansion of macro 'static_assert'/);
});

test('a typeof argument passed to a macro (p_cast)', async (t) => {
  const r = await run('macro p_cast(t, x) { (t)x } begin { printf("%x %d\\n", p_cast(typeof(uint8), -1), p_cast(typeof(int16), 70000)); exit(); }');
  t.is(r.stdout, 'ff 4464\n\n\n');
});

test('a typeof argument used as a type in the macro: an array of it, a pointer to it, itself, and passed on to another macro', async (t) => {
  const r = await run('struct Foo { char m; } macro sof(a, b) { sizeof(a[2]) + sizeof(b*) + sizeof(b) } macro m(t) { sizeof(t) + 2 } macro n(z) { m(typeof(z)) } begin { printf("%d %d\\n", sof(typeof(uint64*), typeof(struct Foo)), n(typeof(uint64*))); exit(); }');
  t.is(r.stdout, '25 10\n\n\n', r.stderr);
});

test('a typeof argument in a nested cast: (a *)-1 is the address of the literal\'s bytes, 0xff for -1, as upstream', async (t) => {
  const r = await run('macro cst(a) { (a *)-1 } begin { print(cst(typeof(uint8))); print((uint16 *)-200); exit(); }');
  t.is(r.stdout, '0xff\n0xff38\n\n\n', r.stderr);
});

test('a variable whose type typeinfo inspected may not change type later', async (t) => {
  const r = await bpfscript(['-e', 'begin { $a = (uint8)1; if comptime (typeinfo($a).full_type == "uint8") { $a = (uint32)100000; } print($a); }']);
  t.is(r.code, 1);
  t.regex(r.stderr, /^stdin:1:74-76: ERROR: Type of \$a was inspected by typeinfo, typeof or sizeof and cannot change from 'uint8' to 'uint64'\n/);
});
