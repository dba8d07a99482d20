// The string and byte functions of the standard library (stdlib/strings.bt,
// stdlib/bytes.bt and their C units) and the strncmp builtin, end to end: in
// begin (raw_tp), a tracepoint, a perf event and a uprobe, with exact output,
// and each misuse with upstream's words.
import test from 'ava';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

// Each of these compiles C (clang is slow on a busy machine): a longer limit than the default.
const timeoutMs = 120_000;

async function run(program: string, ...extra: string[]) {
  return bpfscript(['-q', '-e', program, ...extra], { timeoutMs });
}

/** What a begin probe that ends with exit() prints: its lines, then the two blank lines of the exit. */
const out = (...lines: string[]) => `${lines.join('\n')}\n\n\n`;

test('strlen and strcap of strings, int8 arrays and literals', async (t) => {
  const r = await run('struct F { signed char b[6]; } begin { $a = "hello"; $arr = ((struct F *)0)->b; printf("%d %d %d %d %d %d %d\\n", strlen($a), strlen(""), strlen(comm), strcap("abc"), strcap(comm), strcap($a), sizeof($arr)); exit(); }');
  t.is(r.stderr, '');
  t.is(r.stdout, out('5 0 9 4 16 6 6'));
});

test('strstr and strcontains: found, missing, empty needle, NULs end the strings', async (t) => {
  const r = await run('begin { printf("%d %d %d %d %d|", strstr("hello world", "world"), strstr("hello world", "xyz"), strstr("hello", ""), strstr("", "a"), strstr("test-test", "test")); printf("%d %d %d %d %d\\n", strcontains("ababac", "abac"), strcontains("Hello", "hello"), strcontains("hello\\0world", "world"), strcontains("hello world", "wo\\0rld"), strcontains("hello", "hello-longer")); exit(); }');
  t.is(r.stderr, '');
  t.is(r.stdout, out('6 -1 0 -1 0|1 0 0 1 0'));
});

test('str_concat makes a string as big as both; the result is a string like any other', async (t) => {
  const r = await run('begin { $s = str_concat(comm, "-suffix"); printf("%s %d %d\\n", $s, sizeof($s), $s == "bpfscript-suffix"); @[str_concat("a", "b")] = count(); exit(); }');
  t.is(r.stderr, '');
  t.is(r.stdout, 'bpfscript-suffix 23 1\n\n\n@[ab]: 1\n');
});

test('strncmp compares at most n characters and stops at the shorter string', async (t) => {
  const r = await run('begin { printf("%d %d %d %d %d %d\\n", strncmp("hhvm", "hhvm-proc", 4), strncmp("one", "one ", 4), strncmp("hello", "hell", 5), strncmp("wow", comm, 17), strncmp("abc", "abc", 100), strncmp("a", "b", 0)); exit(); }');
  t.is(r.stderr, '');
  t.is(r.stdout, out('0 1 1 1 0 0'));
});

test('strerror, signal_name and syscall_name are strings made in BPF', async (t) => {
  const a = await run('begin { print(strerror(22)); print(strerror(-2)); print(strerror(0)); print(strerror(999)); exit(); }');
  t.is(a.stdout, 'Invalid argument\nNo such file or directory\nSuccess\nUnknown error\n\n\n');
  const b = await run('begin { print(signal_name(2)); print(signal_name(0)); print(signal_name(34)); print(signal_name(1024)); exit(); }');
  t.is(b.stdout, 'Interrupt\nUnknown signal 0\nReal-time signal 0\nN/A\n\n\n');
  const c = await run('begin { print(syscall_name(0)); print(syscall_name(-1)); print(syscall_name(999)); printf("%d\\n", strerror(1) == "Operation not permitted"); exit(); }');
  t.is(c.stdout, 'read\nUnknown syscall\nUnknown syscall\n1\n\n\n');
});

test('bswap reverses the bytes of each integer width; memcmp compares the bytes of two values', async (t) => {
  const r = await run('begin { printf("%llx %x %x %x %llx %x\\n", bswap(0x1122334455667788), bswap((int32)0x12345678), bswap((int16)0x1234), bswap((int8)0x12), bswap(0x12340000 + (uint64)0x5678), bswap(bswap(0x1234))); printf("%d %d %d %d\\n", memcmp("abc", "abd", 3), memcmp("abc", "abd", 2), memcmp((1, 2), (1, 2), 100), memcmp("b", "a", 1)); print(typeinfo(bswap((int16)1)).full_type); exit(); }');
  t.is(r.stderr, '');
  t.is(r.stdout, out('8877665544332211 78563412 3412 12 7856341200000000 1234', '-1 0 0 1', 'uint16'));
});

test('in a tracepoint: a user pointer is read with str() first', async (t) => {
  const prog = fixtureProgram('strings-target');
  // Two runs: each string read is a copy on the probe's 512-byte stack.
  const a = await run('tracepoint:syscalls:sys_enter_openat /pid == cpid && strcontains(args.filename, "passwd")/ { printf("%d %d %s\\n", strlen(args.filename), strstr(args.filename, "passwd"), syscall_name(257)); }', '-c', prog);
  t.is(a.stderr, '');
  t.is(a.stdout, '39 28 openat\n\n\n');
  const b = await run('tracepoint:syscalls:sys_enter_openat /pid == cpid/ { if (strcontains(args.filename, ".conf")) { printf("%s\\n", str_concat(args.filename, "!")); } }', '-c', prog);
  t.is(b.stderr, '');
  t.is(b.stdout, '/tmp/bpfscript-strings-test/passwd.conf!\n\n\n');
});

test('in a uprobe and a perf event', async (t) => {
  const prog = fixtureProgram('strings-target');
  const u = await run(`uprobe:${prog}:bs_strings_target { printf("%d %d %d %s\\n", strlen((int8 *)arg0), strstr((int8 *)arg0, "uprobe"), strncmp(str(arg0), "hello", 5), signal_name(9)); }`, '-c', prog);
  t.is(u.stderr, '');
  t.is(u.stdout, '18 6 0 Killed\n\n\n');
  // One event: exit() takes effect in user space, after more events may have fired.
  // The event's comm is whichever task the CPU ran: the one where it was bpfscript's own.
  const p = await run('interval:ms:10 /!@done && comm == "bpfscript"/ { @done = 1; printf("%d %d %s %s %x\\n", strlen(comm), strcontains(comm, "pfs"), strerror(1), str_concat(comm, "!"), bswap((uint16)0xabcd)); exit(); } end { delete(@done); }');
  t.is(p.stderr, '');
  t.is(p.stdout, out('9 1 Operation not permitted bpfscript! cdab'));
});

test('the loops kernels without bpf_strnlen and bpf_strnstr run pass the verifier in each program type', async (t) => {
  const loops = 'import "tests/fixtures/c-interop/strings-loops.bpf.c";';
  const vars = '$h = "hello world"; $n = "world"; $e = ""; $x = "worlds";';
  const calls = `${vars} printf("%d %d %d %d %d\\n", __bs_strnlen(&$h, sizeof($h)), __bs_strnlen(&$e, sizeof($e)), __bs_strnstr(&$h, sizeof($h), &$n, sizeof($n)), __bs_strnstr(&$h, sizeof($h), &$e, sizeof($e)), __bs_strnstr(&$h, sizeof($h), &$x, sizeof($x)))`;
  const a = await run(`${loops} begin { ${calls}; } interval:ms:10 /!@done/ { @done = 1; ${calls}; exit(); } end { delete(@done); }`);
  t.is(a.stderr, '');
  t.is(a.stdout, out('11 0 6 0 -1', '11 0 6 0 -1'));
  const b = await run(`${loops} tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { ${calls}; }`, '-c', `${fixtureProgram('getppid')} 1`);
  t.is(b.stderr, '');
  t.is(b.stdout, out('11 0 6 0 -1'));
  const target = fixtureProgram('strings-target');
  const c = await run(`${loops} uprobe:${target}:bs_strings_target { ${calls}; }`, '-c', target);
  t.is(c.stderr, '');
  t.is(c.stdout, out('11 0 6 0 -1'));
});

test('the C unit is compiled once: a later run finds it in the cache', async (t) => {
  await run('begin { print(strlen("warm")); exit(); }');
  const r = await bpfscript(['-v', '-e', 'begin { print(strlen("again")); exit(); }'], { timeoutMs });
  t.regex(r.stderr, /^C unit stdlib\/strings\/strings\.bpf\.c \(compile cache hit\)\n/m);
  t.is(r.stdout.split('\n')[0], '5');
});

test('misuse is refused with upstream words', async (t) => {
  const error = async (program: string) => (await run(program)).stderr.split('\n')[0];
  t.is(await error('begin { assert_str(1); }'), 'stdlib/strings.bt:31:9-78: ERROR: string-like values must be either strings, arrays or pointers');
  t.regex(await error('begin { print(strlen((uint8 *)0)); }'), /ERROR: string-like pointers must point to a char-like type$/);
  t.regex(await error('struct F { unsigned char u[2]; } begin { print(strlen(((struct F *)0)->u)); }'), /ERROR: string-like arrays must contain a char-like type$/);
  t.regex(await error('begin { print(strcontains("foo", 1)); }'), /ERROR: string-like values must be either strings, arrays or pointers$/);
  t.is(await error('begin { strncmp(1, "a", 1); }'), 'stdin:1:17-18: ERROR: strncmp() only supports string arguments (int provided)');
  t.is(await error('begin { $n = 2; strncmp("a", "b", $n); }'), 'stdin:1:35-37: ERROR: Builtin strncmp requires a non-negative literal');
  t.is(await error('begin { strncmp("a", "b"); }'), 'stdin:1:9-26: ERROR: strncmp() requires 3 arguments (2 provided)');
  t.regex(await error('begin { print(bswap("hello")); }'), /ERROR: bswap\(\) only supports integer arguments$/);
});
