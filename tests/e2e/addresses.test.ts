// uaddr, percpu_kaddr, kptr/uptr and container_of against the kernel.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bpfscript, fixtureBuild } from '../helpers/run.ts';

const nopie = () => fixtureBuild('stack-target-nopie', ['stack-target.c'], ['-O0', '-no-pie']);
const pie = () => fixtureBuild('stack-target-pie', ['stack-target.c'], ['-O0', '-pie', '-fPIE']);

test('uaddr reads globals of a fixed-address executable, a PIE (moved to its load address) and a shared library', async (t) => {
  for (const exe of [nopie(), pie()]) {
    const r = await bpfscript(['-q', '-e', `uprobe:${exe}:bs_stack_leaf { printf("0x%x %d\\n", *uaddr("bs_global_counter"), sizeof(*uaddr("bs_global_counter"))); exit(); }`, '-c', `${exe} 1 10000`]);
    t.is(r.stdout.split('\n')[0], '0x55555555 4', exe + r.stderr);
  }
  const lib = fixtureBuild('libstacklib.so', ['stack-lib.c'], ['-O0', '-fPIC', '-shared']);
  const dir = dirname(lib);
  const exe = fixtureBuild('stack-target-lib', ['stack-target.c'], ['-O0', '-DWITH_LIB', `-L${dir}`, '-lstacklib', `-Wl,-rpath,${dir}`]);
  const r = await bpfscript(['-q', '-e', `uprobe:${lib}:bs_lib_helper { printf("0x%x 0x%x %d\\n", *uaddr("bs_lib_value"), *uaddr("bs_lib_short"), sizeof(*uaddr("bs_lib_short"))); exit(); }`, '-c', `${exe} 1 10000`]);
  t.is(r.stdout.split('\n')[0], '0x33333333 0x1234 2', r.stderr);
});

test('uaddr misuse: outside user-space probes, unknown symbols, a non-literal name', async (t) => {
  const exe = pie();
  const outside = await bpfscript(['-e', 'begin { print(uaddr("x")); }']);
  t.regex(outside.stderr, /ERROR: uaddr can not be used for this probetype: special\n/);
  const unknown = await bpfscript(['-e', `uprobe:${exe}:bs_stack_leaf { print(uaddr("nope")); }`]);
  t.regex(unknown.stderr, new RegExp(`ERROR: Could not resolve symbol: ${exe}:nope\\n`));
  const literal = await bpfscript(['-e', `uprobe:${exe}:bs_stack_leaf { print(uaddr(5)); }`]);
  t.regex(literal.stderr, /stdin:1:\d+-\d+: ERROR: uaddr\(\) expects a string literal \(a symbol name\)\n/);
});

// percpu_kaddr needs the kernel to resolve the variable: the verifier looks
// it up in kallsyms, which lists data symbols only with CONFIG_KALLSYMS_ALL.
const kallsymsHasData = / runqueues$/m.test(readFileSync('/proc/kallsyms', 'utf8'));

test('percpu_kaddr: a CPU\'s copy of a per-CPU variable, or a located error where the kernel cannot resolve it', async (t) => {
  const script = 'begin { $rq = (struct rq *)percpu_kaddr("runqueues", 0); if ($rq != 0) { printf("%d\\n", $rq.nr_running >= 0); } printf("%d\\n", percpu_kaddr("runqueues") != 0); exit(); }';
  const r = await bpfscript(['-q', '-e', script]);
  if (kallsymsHasData) t.is(r.stdout, '1\n1\n', r.stderr);
  else t.regex(r.stderr, /^stdin:1:\d+-\d+: ERROR: percpu_kaddr: the kernel cannot resolve "runqueues": \/proc\/kallsyms does not list it \(a kernel built without CONFIG_KALLSYMS_ALL lists functions only\)\n/);
  const unknown = await bpfscript(['-e', 'begin { print(percpu_kaddr("no_such_variable")); }']);
  t.regex(unknown.stderr, /^stdin:1:15-47: ERROR: Could not resolve variable "no_such_variable" from BTF\n/);
  const literal = await bpfscript(['-e', 'begin { $n = "runqueues"; print(percpu_kaddr($n)); }']);
  t.regex(literal.stderr, /ERROR: percpu_kaddr\(\) expects a string literal \(a kernel variable name\)\n/);
});

test('uptr marks a pointer as user memory; kptr and uptr take integers and pointers only', async (t) => {
  const r = await bpfscript(['-q', '-e', 'tracepoint:syscalls:sys_enter_openat /pid == cpid/ { printf("%s\\n", str(uptr(args.filename))); @ = kptr((uint64)7); exit(); }', '-c', 'cat /etc/hostname']);
  t.regex(r.stdout, /\/etc\/hostname\n|\.so/, r.stderr);
  t.regex(r.stdout, /@: 7\n/);
  const bad = await bpfscript(['-e', 'begin { print(kptr("a")); }']);
  t.regex(bad.stderr, /^stdin:1:20-23: ERROR: kptr\(\) only supports integer or pointer arguments \(string provided\)\n/);
  const badBool = await bpfscript(['-e', 'begin { print(uptr(1 == 1)); }']);
  t.regex(badBool.stderr, /ERROR: uptr\(\) only supports integer or pointer arguments \(bool provided\)\n/);
});

test('container_of: the struct holding a member, from the member\'s address', async (t) => {
  const r = await bpfscript(['-q', '-e', 'struct Foo { int m; int n; } begin { $f = (struct Foo *)1000; $n = (int *)1004; $p = container_of($n, typeof(struct Foo), n); printf("%d %d\\n", (uint64)$p, $p == $f); exit(); }']);
  t.is(r.stdout.split('\n')[0], '1000 1', r.stderr);
});
