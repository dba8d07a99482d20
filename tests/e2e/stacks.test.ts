// ustack, usym, len(stack) and the stack modes, against the kernel: uprobes
// on fixture programs built as a fixed-address executable, a PIE, one calling
// into a shared library, a C++ program, and one running "JIT" code that only
// a perf map file names.
import test from 'ava';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bpfscript, cli, fixtureBuild } from '../helpers/run.ts';

// -O0: every function pushes a frame pointer first, so a uprobe at a function's
// entry still sees its caller (the kernel adds the return address there).
const nopie = () => fixtureBuild('stack-target-nopie', ['stack-target.c'], ['-O0', '-no-pie']);
const pie = () => fixtureBuild('stack-target-pie', ['stack-target.c'], ['-O0', '-pie', '-fPIE']);
function withLibrary(): { exe: string; lib: string } {
  const lib = fixtureBuild('libstacklib.so', ['stack-lib.c'], ['-O0', '-fPIC', '-shared']);
  const dir = dirname(lib);
  const exe = fixtureBuild('stack-target-lib', ['stack-target.c'], ['-O0', '-DWITH_LIB', `-L${dir}`, '-lstacklib', `-Wl,-rpath,${dir}`]);
  return { exe, lib };
}

/** The frames of the first stack printed by printf("%s|", ...), names without offsets. */
function frameNames(out: string): string[] {
  const first = out.split('|')[0]!;
  return first.split('\n').filter(Boolean).map((l) => l.trim().replace(/\+\d+$/, ''));
}

for (const [kind, build] of [['a fixed-address (non-PIE) executable', nopie], ['a PIE executable', pie]] as const) {
  test(`ustack and usym name the functions of ${kind}`, async (t) => {
    const exe = build();
    const r = await bpfscript(['-q', '-e', `uprobe:${exe}:bs_stack_leaf { printf("%s|%s|\\n", ustack, usym(arg1)); exit(); }`, '-c', `${exe} 1 10000`]);
    t.deepEqual(frameNames(r.stdout).slice(0, 4), ['bs_stack_leaf', 'bs_stack_middle', 'bs_stack_outer', 'main'], r.stdout + r.stderr);
    t.regex(r.stdout, /^\n {8}bs_stack_leaf\+0\n {8}bs_stack_middle\+\d+\n/);
    t.is(r.stdout.split('|')[1], 'bs_stack_middle');
  });
}

test('ustack through a shared library: library and executable frames, perf mode names the files', async (t) => {
  const { exe, lib } = withLibrary();
  const r = await bpfscript(['-q', '-e', `uprobe:${lib}:bs_lib_helper { printf("%s|%s|\\n", ustack(5), ustack(perf, 3)); exit(); }`, '-c', `${exe} 1 10000`]);
  t.deepEqual(frameNames(r.stdout), ['bs_lib_helper', 'bs_lib_leaf', 'bs_stack_leaf', 'bs_stack_middle', 'bs_stack_outer'], r.stdout + r.stderr);
  const perf = r.stdout.split('|')[1]!;
  t.regex(perf, new RegExp(`^\\n\\t[0-9a-f]+ bs_lib_helper\\+0 \\(${lib}\\)\\n\\t[0-9a-f]+ bs_lib_leaf\\+\\d+ \\(${lib}\\)\\n\\t[0-9a-f]+ bs_stack_leaf\\+\\d+ \\(${exe}\\)\\n$`));
});

test('ustack modes and limits: raw, build_id, stack_mode config and BPFTRACE_STACK_MODE, len()', async (t) => {
  const exe = pie();
  const r = await bpfscript(['-q', '-e', `config = { stack_mode = raw } uprobe:${exe}:bs_stack_leaf { $s = ustack(3); printf("%s|%s|%s|%d %d %d\\n", ustack(2), ustack(build_id, 2), ustack(bpftrace, 1), len($s), len(ustack), len(kstack(raw, 1))); exit(); }`, '-c', `${exe} 1 10000`]);
  const [raw, buildId, named, lens] = r.stdout.split('|');
  t.regex(raw!, /^\n[0-9a-f]+\n[0-9a-f]+\n$/, r.stderr);
  t.regex(buildId!, /^\n[0-9a-f]{40} 0x[0-9a-f]{2,}\n[0-9a-f]{40} 0x[0-9a-f]{2,}\n$/);
  t.is(named, '\n        bs_stack_leaf+0\n');
  // A uprobe runs in user context: its kernel stack is empty.
  t.regex(lens!, /^3 [4-9]\d* 0\n/);
  const env = await bpfscript(['-q', '-e', `uprobe:${exe}:bs_stack_leaf { printf("%s|%s", ustack(1), ustack(raw, 1)); exit(); }`, '-c', `${exe} 1 10000`], { env: { BPFTRACE_STACK_MODE: 'perf' } });
  t.regex(env.stdout, new RegExp(`^\\n\\t[0-9a-f]+ bs_stack_leaf\\+0 \\(${exe}\\)\\n\\|\\n[0-9a-f]+\\n`), env.stderr);
});

test('stacks and usym as map keys, in text and JSON (stacks print as the same text, frames on lines)', async (t) => {
  const exe = pie();
  const text = await bpfscript(['-q', '-e', `uprobe:${exe}:bs_stack_leaf { @[ustack(2), usym(arg1)] = count(); @u = usym(arg1); exit(); }`, '-c', `${exe} 1 10000`]);
  t.regex(text.stdout, /^\n\n@\[\n {8}bs_stack_leaf\+0\n {8}bs_stack_middle\+\d+\n, bs_stack_middle\]: 1\n@u: bs_stack_middle\n$/, text.stderr);
  const json = await bpfscript(['-q', '-f', 'json', '-e', `uprobe:${exe}:bs_stack_leaf { print(ustack(2)); print(usym(arg1)); exit(); }`, '-c', `${exe} 1 10000`]);
  const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: unknown });
  t.deepEqual(lines[0]!.type, 'value', json.stdout + json.stderr);
  t.regex(lines[0]!.data as string, /^\n {8}bs_stack_leaf\+0\n {8}bs_stack_middle\+\d+\n$/);
  t.deepEqual(lines[1], { type: 'value', data: 'bs_stack_middle' });
});

test('C++ frames are demangled (cpp_demangle), or left mangled when it is off', async (t) => {
  const exe = fixtureBuild('stack-cxx', ['stack-cxx.cc'], ['-O0'], 'g++');
  const r = await bpfscript(['-q', '-e', `uprobe:${exe}:_ZN2bs6Worker4leafEi { printf("%s|", ustack(3)); exit(); }`, '-c', `${exe} 10000`]);
  t.deepEqual(frameNames(r.stdout), ['bs::Worker::leaf(int)', 'int bs::through<long>(long)', 'bs::start(long)'], r.stdout + r.stderr);
  const off = await bpfscript(['-q', '-e', `config = { cpp_demangle = 0 } uprobe:${exe}:_ZN2bs6Worker4leafEi { printf("%s|", ustack(2)); exit(); }`, '-c', `${exe} 10000`]);
  t.deepEqual(frameNames(off.stdout), ['_ZN2bs6Worker4leafEi', '_ZN2bs7throughIlEEiT_']);
});

test('JIT frames are named from the perf map file of the process', async (t) => {
  const exe = fixtureBuild('jit-target', ['jit-target.c'], ['-O0']);
  const target = spawn(exe, ['20'], { stdio: 'ignore' });
  const map = `/tmp/perf-${target.pid}.map`;
  try {
    writeFileSync(map, '7e0000000000 8 LazyCompile:~bs_jit_frame /tmp/app.js:12\n');
    const r = await bpfscript(['-q', '-p', String(target.pid), '-e', `uprobe:${exe}:bs_jit_callee { printf("%s|%s|\\n", ustack(3), ustack(perf, 2)); exit(); }`]);
    const first = r.stdout.split('|')[0] ?? '';
    t.regex(first, /^\n {8}bs_jit_callee\+0\n {8}LazyCompile:~bs_jit_frame \/tmp\/app\.js:12\+6\n {8}main\+\d+\n$/, r.stdout + r.stderr);
    t.regex(r.stdout, new RegExp(`\\|\\n\\t[0-9a-f]+ bs_jit_callee\\+0 \\(${exe}\\)\\n\\t7e0000000006 LazyCompile:~bs_jit_frame /tmp/app.js:12\\+6 \\(${map}\\)\\n\\|`));
  } finally {
    target.kill();
    rmSync(map, { force: true });
  }
});

test('a process that has exited before its stack is printed: addresses in hex, as bpftrace', async (t) => {
  const exe = pie();
  // PER_PID, and the process is gone when the map is printed at exit.
  const r = await bpfscript(['-q', '-e', `config = { cache_user_symbols = "PER_PID" } uprobe:${exe}:bs_stack_leaf { @[ustack(2)] = count(); @p[ustack(perf, 1)] = count(); }`, '-c', exe]);
  t.regex(r.stdout, /@\[\n {8}0x[0-9a-f]+\n {8}0x[0-9a-f]+\n\]: 3\n/, r.stdout + r.stderr);
  t.regex(r.stdout, /@p\[\n\t([0-9a-f]+) 0x\1 \(\[unknown\]\)\n\]: 3\n/);
  // A fixed-address program is still named from its file with PER_PROGRAM (the default with -c).
  const fixed = await bpfscript(['-q', '-e', `uprobe:${nopie()}:bs_stack_leaf { @[ustack(2)] = count(); }`, '-c', nopie()]);
  t.regex(fixed.stdout, /@\[\n {8}bs_stack_leaf\+0\n {8}bs_stack_middle\+\d+\n\]: 3\n/, fixed.stderr);
});

test('stack and usym misuse: upstream diagnostics', async (t) => {
  const cases: [string, RegExp][] = [
    ['kstack(3, perf)', /stdin:1:15-30: ERROR: Expected stack mode as first argument\n/],
    ['ustack(bob)', /stdin:1:22-25: ERROR: Error parsing stack mode: Invalid value for stack_mode: valid values are bpftrace, raw, perf, and build_id\.\n/],
    ['ustack(perf, "str")', /ERROR: ustack: invalid limit value\n/],
    ['kstack(build_id)', /ERROR: 'build_id' stack mode can only be used for ustack\n/],
    ['ustack(perf, 1, 2)', /ERROR: Invalid number of arguments\n/],
    ['ustack(0)', /ERROR: ustack\(\) limit must be 1\.\.127\n/],
    ['len(5)', /stdin:1:19-20: ERROR: call to len\(\) expects a map, ustack, or kstack\n/],
    ['usym("x")', /ERROR: usym\(\) expects an address \(integer or pointer\), got string\[2\]\n/],
    ['usym()', /ERROR: usym\(\) requires 1 argument \(0 provided\)\n/],
  ];
  for (const [call, want] of cases) {
    const r = await bpfscript(['-e', `begin { print(${call}); }`]);
    t.regex(r.stderr, want, call);
    t.is(r.code, 1, call);
  }
  const env = await bpfscript(['-e', 'begin { print(ustack); }'], { env: { BPFTRACE_STACK_MODE: 'sideways' } });
  t.regex(env.stderr, /BPFTRACE_STACK_MODE/);
});

test('usym of an address no symbol holds prints it in hex', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { @ = usym(1); @a = @; @k[usym(1)] = count(); printf("%s\\n", usym(2)); exit(); }']);
  t.is(r.stdout, '0x2\n\n\n@: 0x1\n@a: 0x1\n@k[0x1]: 1\n', r.stderr);
});

test('bpfscript inside a PID namespace names the stacks of a process there (its /proc numbers it differently)', async (t) => {
  // A copy of its own: the uprobe fires in every process of the binary, and a
  // concurrent test's jit-target outside the namespace has no pid in it.
  const exe = fixtureBuild('jit-target-pidns', ['jit-target.c'], ['-O0']);
  const script = `uprobe:${exe}:bs_jit_callee { printf("%s|", ustack(1)); exit(); }`;
  const r = await new Promise<{ out: string; err: string }>((resolve) => {
    // The target calls for a minute (a loaded machine may take seconds to attach); it
    // dies with the namespace when bpfscript, its init, exits after the first call.
    const child = spawn('unshare', ['--fork', '--pid', '--mount-proc', 'sh', '-c', `(${exe} 60 &) ; exec ${cli} -q -e '${script}'`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', () => {
      clearTimeout(guard);
      resolve({ out, err });
    });
  });
  t.is(r.out.split('|')[0], '\n        bs_jit_callee+0\n', r.out + r.err);
});
