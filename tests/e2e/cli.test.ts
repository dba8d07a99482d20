// The command line end to end: every flag's effect against the kernel, exit
// codes, -o/-B on every way a program ends.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, cli, repoRoot, fixtureProgram } from '../helpers/run.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'bpfscript-cli-'));

/** Runs the CLI and calls `attached(child)` once it says `Attached` (so the probes are in place). */
function runUntilAttached(args: string[], attached: (child: ChildProcess) => void): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(cli, args, { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      const before = stderr;
      stderr += d;
      if (!/Attached/.test(before) && /Attached/.test(stderr)) attached(child);
    });
    child.on('close', (code) => resolve({ stdout, code }));
  });
}

test('exit codes: 0 normally, the value of exit(code), 1 for errors', async (t) => {
  t.is((await bpfscript(['-q', '-e', 'begin { exit(); }'])).code, 0);
  t.is((await bpfscript(['-q', '-e', 'begin { exit(7); }'])).code, 7);
  t.is((await bpfscript(['-q', '-e', 'begin { $x = ; }'])).code, 1);
  t.is((await bpfscript(['-q', '/nonexistent/script.bt'])).code, 1);
});

test('--timings prints each phase on stderr at the end; the output is the same', async (t) => {
  const script = 'tracepoint:syscalls:sys_enter_getppid /comm == "no such comm"/ { @n = count(); } begin { @b = 1; printf("hi\\n"); exit(); }';
  const plain = await bpfscript(['-e', script]);
  const timed = await bpfscript(['--timings', '-e', script]);
  t.is(timed.code, 0);
  t.is(timed.stdout, plain.stdout);
  const table = timed.stderr.slice(timed.stderr.indexOf('Timings (ms):'));
  for (const phase of ['node start', 'module load', 'compile', 'tracefs', 'load (verifier)', 'begin', 'attach', 'detach', 'print maps', 'other', 'total']) {
    t.regex(table, new RegExp(`\\n  ${phase.replace(/[()]/g, '\\$&')} +\\d+\\.\\d\\n`), phase);
  }
  t.false(plain.stderr.includes('Timings'));
  t.false(table.includes('BTF'), 'a script that uses no kernel type does not read vmlinux BTF');
  const typed = await bpfscript(['--timings', '-q', '-e', 'begin { $t = (struct task_struct *)curtask; printf("%d\\n", $t->pid > 0); exit(); }']);
  t.is(typed.stdout, '1\n\n\n');
  t.regex(typed.stderr, /\n {2}BTF +\d+\.\d\n/);
});

test('a missing script file is a bpftrace-style error', async (t) => {
  const r = await bpfscript(['/nonexistent/script.bt']);
  t.is(r.stderr, "ERROR: failed to open file '/nonexistent/script.bt': No such file or directory\n");
});

test('unknown flags print getopt\'s message and the usage, exit 1', async (t) => {
  for (const [args, message] of [
    [['--bogus'], "bpfscript: unrecognized option '--bogus'"],
    [['-Z'], "bpfscript: invalid option -- 'Z'"],
    [['-e'], "bpfscript: option requires an argument -- 'e'"],
  ] as const) {
    const r = await bpfscript([...args]);
    t.is(r.code, 1);
    t.true(r.stderr.startsWith(`${message}\nUSAGE:\n`), r.stderr);
    t.is(r.stdout, '');
  }
  const noScript = await bpfscript(['-q']);
  t.is(noScript.stderr, "ERROR: USAGE: filename or -e 'program' required.\n");
  const both = await bpfscript(['-c', 'true', '-p', '1', '-e', 'begin {}']);
  t.true(both.stderr.startsWith('ERROR: USAGE: Cannot use both -c and -p.\nUSAGE:'));
});

test('-V and -h', async (t) => {
  t.is((await bpfscript(['-V'])).stdout, 'bpfscript v0.1.0\n');
  const h = await bpfscript(['--help']);
  t.is(h.code, 0);
  t.regex(h.stdout, /^USAGE:\n {4}bpfscript \[options\] filename\n/);
  for (const flag of ['-e \'program\'', '--info', '-k, --warnings', '--no-feature', '--fmt', '--dry-run', '-d, --debug', '--emit-elf', '-I DIR', '--include FILE', '--unsafe']) {
    t.true(h.stdout.includes(flag), flag);
  }
});

test("-h with a script lists its named options; -- --help names them in upstream's hint and exits 1", async (t) => {
  const prog = 'begin { if (getopt("verbose")) { print(getopt("depth", 3, "how deep")); } }';
  const h = await bpfscript(['-h', '-e', prog]);
  t.true(h.stdout.endsWith('\nPROGRAM OPTIONS:\n    --verbose    (default: false)\n    --depth=INT  how deep (default: 3)\n'), h.stdout);
  const h2 = await bpfscript(['-e', prog, '--', '--help']);
  t.is(h2.stderr, 'HINT: expected program options:\n--verbose\n--depth: how deep\n');
  t.is(h2.stdout, '');
  t.is(h2.code, 1, 'the program did not run: upstream exits 1 here');
  const none = await bpfscript(['-e', 'begin { exit(); }', '--', '--help']);
  t.is(none.stderr, 'HINT: no custom program options defined.\n');
  t.is(none.code, 1);
  const own = await bpfscript(['-q', '-e', 'begin { print(getopt("help")); exit(); }', '--', '--help']);
  t.is(own.stdout, 'true\n\n\n', 'a script with its own help option runs');
  t.is(h.code, 0);
});

test('named parameters: an integer up to 2^64-1 (0x hex too), a boolean in either case', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { print((getopt("big", 20), getopt("neg", -1), getopt("flag", true))); exit(); }', '--', '--big=0xffffffffffffffff', '--neg=-10', '--flag=False']);
  t.is(r.stdout, '(18446744073709551615, -10, false)\n\n\n', r.stderr);
  const over = await bpfscript(['-q', '-e', 'begin { print(getopt("big", 20)); exit(); }', '--', '--big=0x10000000000000000']);
  t.regex(over.stderr, /ERROR: program command line option --big value is out of range \(value: 0x10000000000000000\)/);
});

test('named parameters reach getopt(); bad values and unknown names are errors', async (t) => {
  const prog = 'begin { print((getopt("aa", 10), getopt("bb", "hello"), getopt("cc"), getopt("dd", false), getopt("ee", -1))); exit(); }';
  t.is((await bpfscript(['-q', '-e', prog])).stdout, '(10, hello, false, false, -1)\n\n\n');
  t.is((await bpfscript(['-q', '-e', prog, '--', '--cc', '--bb=bye', '--aa=0x20', '--dd=1', '--ee=-5'])).stdout, '(32, bye, true, true, -5)\n\n\n');
  const bad = await bpfscript(['-q', '-e', 'begin { print(getopt("aa", 10)); exit(); }', '--', '--aa=ten']);
  t.is(bad.code, 1);
  t.is(bad.stderr, 'ERROR: program command line option --aa invalid integer (value: ten)\n');
  const bare = await bpfscript(['-q', '-e', 'begin { print(getopt("s", "x")); exit(); }', '--', '--s']);
  t.is(bare.stderr, 'ERROR: program command line option --s expects a string (value: true)\n');
  const yes = await bpfscript(['-q', '-e', 'begin { print((getopt("on", false), getopt("off", true))); exit(); }', '--', '--on=Yes', '--off=OFF']);
  t.is(yes.stdout, '(true, false)\n\n\n');
  const unknown = await bpfscript(['-q', '-e', 'begin { print(getopt("aa", 10)); print(getopt("bb", 1)); exit(); }', '--', '--ab=1', '--ac']);
  t.is(unknown.code, 1);
  t.is(unknown.stderr, 'ERROR: unexpected program command line options: --ab, --ac\nHINT: expected program options: --aa, --bb\n');
  const twice = await bpfscript(['-q', '-e', 'begin { print(getopt("a", 1)); print(getopt("a", 2)); }']);
  t.regex(twice.stderr, /ERROR: Command line option 'a' needs to have the same default value in all places it is used\. Previous default value: 1\n/);
});

test('script arguments, named parameters and a script file together', async (t) => {
  const file = join(tmp(), 's.bt');
  writeFileSync(file, 'begin { printf("%s %d %d\\n", $1, $2, getopt("n", 0)); exit(); }\n');
  const r = await bpfscript(['-q', file, 'word', '--', '7', '--n=3']);
  t.is(r.stdout, 'word 7 3\n\n\n');
});

test('positional parameters: in attach points, in every integer spelling, and as text through str()', async (t) => {
  const ap = await bpfscript(['-q', '-e', '$1 { printf("%s\\n", probe); exit(); }', 'i:ms:1']);
  t.is(ap.stdout, 'interval:ms:1\n\n\n');
  const word = await bpfscript(['-q', '-e', 'BEG$1 { printf("%s\\n", probe); exit(); }', 'IN']);
  t.is(word.stdout, 'begin\n\n\n');
  const numbers = await bpfscript(['-q', '-e', 'begin { printf("%lu %o %x|%s|%s|%s\\n", $1, $2, $3, str($3), str($4 + 2), str($5)); exit(); }', '0xffffffffffffffff', '0775', '0x123', 'hello', '42']);
  t.is(numbers.stdout, '18446744073709551615 775 123|0x123|llo|42\n\n\n');
  const kaddr = await bpfscript(['-q', '-e', 'begin { printf("%d\\n", kaddr(str($1)) != 0); exit(); }', 'vfs_read']);
  t.is(kaddr.stdout, '1\n\n\n');
});

test('-o FILE gets the whole output (maps included) when Ctrl-C ends the program', async (t) => {
  const file = join(tmp(), 'out.txt');
  const r = await bpfscript(['-o', file, '-e', 'interval:ms:10 { @c = count(); printf("tick\\n"); }'], { signalAfterAttach: 'SIGINT' });
  t.is(r.code, 0);
  t.is(r.stdout, '');
  t.is(r.stderr, 'Attached 1 probe\n');
  const text = readFileSync(file, 'utf8');
  const ticks = text.split('\n').filter((l) => l === 'tick').length;
  t.true(ticks > 0);
  t.is(text, `${'tick\n'.repeat(ticks)}\n\n@c: ${ticks}\n`);
});

for (const mode of ['line', 'full', 'none'] as const) {
  test(`-o FILE -B ${mode}: complete when SIGTERM ends the program`, async (t) => {
    const file = join(tmp(), 'out.txt');
    const r = await bpfscript(['-B', mode, '-o', file, '-e', 'interval:ms:10 { @c = count(); printf("tick %d\\n", (int64)@c); }'], { signalAfterAttach: 'SIGTERM' });
    t.is(r.code, 0);
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const ticks = lines.filter((l) => l.startsWith('tick ')).length;
    t.true(ticks > 0);
    t.deepEqual(lines.slice(0, ticks), Array.from({ length: ticks }, (_, i) => `tick ${i + 1}`));
    t.true(text.endsWith(`\n\n@c: ${ticks}\n`));
  });
}

test('-B modes give the same stdout for a program that ends itself', async (t) => {
  // The interval may fire again before exit() takes effect: only the first 50 print.
  const prog = 'interval:ms:5 { @n++; if (@n <= 50) { printf("%d\\n", @n); } if (@n == 50) { exit(); } } end { clear(@n); }';
  const expected = `${Array.from({ length: 50 }, (_, i) => `${i + 1}\n`).join('')}\n\n`;
  for (const mode of ['none', 'line', 'full']) t.is((await bpfscript(['-q', '-B', mode, '-e', prog])).stdout, expected, mode);
});

test('-c: the child is terminated with SIGTERM when the program ends first', async (t) => {
  const dir = tmp();
  const marker = join(dir, 'terminated');
  const child = `/bin/sh -c 'trap "echo term > ${marker}; exit 0" TERM; sleep 30 >/dev/null 2>&1 & wait'`;
  const started = Date.now();
  // The program ends once the child waits (its trap is set by then).
  const r = await bpfscript(['-q', '-c', child, '-e', 'tracepoint:syscalls:sys_enter_wait4 /pid == cpid/ { exit(); }']);
  t.is(r.code, 0);
  t.true(Date.now() - started < 20_000);
  for (let i = 0; i < 50 && !existsSync(marker); i++) await new Promise((res) => setTimeout(res, 100));
  t.is(readFileSync(marker, 'utf8'), 'term\n');
});

test('-c: the program ends when the child exits', async (t) => {
  const r = await bpfscript(['-q', '-c', '/bin/true', '-e', 'begin { @x = 1; }']);
  t.is(r.stdout, '\n\n@x: 1\n');
  t.is(r.code, 0);
});

test('-p: a pid that does not exist is an error', async (t) => {
  const r = await bpfscript(['-p', '4000000', '-e', 'begin {}']);
  t.is(r.code, 1);
  t.is(r.stderr, 'ERROR: Failed to attach to pid: no process with pid 4000000\n');
});

test('-p PID filters tracepoint probes to that process, as bpftrace does', async (t) => {
  const sleeper = spawn('sleep', ['60']);
  const { stdout } = await runUntilAttached(['-p', String(sleeper.pid), '-e', 'tracepoint:raw_syscalls:sys_enter { @[pid] = count(); }'], () => {
    // Stopped and continued, the target restarts its sleep (a system call); then it is killed and the run ends.
    setTimeout(() => sleeper.kill('SIGSTOP'), 200);
    setTimeout(() => sleeper.kill('SIGCONT'), 400);
    setTimeout(() => sleeper.kill('SIGKILL'), 900);
  });
  // Only the target's own system calls are counted (other processes make plenty meanwhile).
  t.regex(stdout, new RegExp(`^\\n\\n@\\[${sleeper.pid}\\]: \\d+\\n$`));
});

test('lost events are reported, in text (stderr) and in JSON', async (t) => {
  // A one-page ring buffer cannot hold 100 records of ~260 bytes sent at once (six times its size: on a
  // loaded machine the reader may drain some while begin still runs).
  const x = `"${'x'.repeat(60)}"`;
  const prog = `config = { perf_rb_pages = 1 } begin { unroll(100) { printf("%s%s%s%s\\n", ${x}, ${x}, ${x}, ${x}); } } interval:ms:100 { exit(); }`;
  const text = await bpfscript(['-q', '-e', prog]);
  const lost = /^Lost (\d+) events\n$/.exec(text.stderr);
  t.truthy(lost, text.stderr);
  const printed = text.stdout.split('\n').filter((l) => l.startsWith('x')).length;
  // Every record is printed or counted (an exit() record sent while the buffer is still full counts too).
  t.true(printed + Number(lost![1]) >= 100, `${printed} printed, ${lost![1]} lost`);
  t.true(printed < 100);
  const json = await bpfscript(['-q', '-f', 'json', '-e', prog]);
  const last = JSON.parse(json.stdout.trimEnd().split('\n').at(-1)!) as { count: number };
  t.true(last.count > 0);
  t.deepEqual(last, { type: 'lost_events', count: last.count, data: { events: last.count } });
});

test('print_maps_on_exit=0: no maps at exit, whatever ends the program; the two newlines stay (as bpftrace)', async (t) => {
  const prog = 'config = { print_maps_on_exit = 0 } begin { @x = 1; } interval:ms:50 { exit(); }';
  t.is((await bpfscript(['-q', '-e', prog])).stdout, '\n\n');
  const env = await bpfscript(['-e', 'begin { @x = 1; } interval:s:30 { exit(); }'], { env: { BPFTRACE_PRINT_MAPS_ON_EXIT: '0' }, signalAfterAttach: 'SIGINT' });
  t.is(env.stdout, '\n\n');
  t.is(env.code, 0);
  const f = join(tmp(), 'o');
  await bpfscript(['-o', f, '-e', 'config = { print_maps_on_exit = false } begin { @x = 1; } interval:s:30 { exit(); }'], { signalAfterAttach: 'SIGTERM' });
  t.is(readFileSync(f, 'utf8'), '\n\n');
});

test('-q hides "Attached N probes"; --dry-run runs nothing', async (t) => {
  const r = await bpfscript(['-q', '--dry-run', '-e', 'begin { printf("x\\n"); }']);
  t.is(r.stdout, '');
  t.is(r.stderr, '');
  t.is(r.code, 0);
});

test('--no-warnings silences compile warnings and warnf(); errorf() still prints', async (t) => {
  const prog = 'begin { warnf("w %d", 1); errorf("e %d", 2); exit(); }';
  const r = await bpfscript(['-q', '-e', prog]);
  t.is(r.stderr, 'stdin:1:9-25: WARNING: w 1\nstdin:1:27-44: ERROR: e 2\n');
  const quiet = await bpfscript(['-q', '--no-warnings', '-e', prog]);
  t.is(quiet.stderr, 'stdin:1:27-44: ERROR: e 2\n');
});

test('-k and --no-warnings conflict', async (t) => {
  const r = await bpfscript(['-k', '--no-warnings', '-e', 'begin {}']);
  t.is(r.code, 1);
  t.is(r.stderr, 'ERROR: USAGE: -k, --warnings conflicts with --no-warnings\n');
});

test('-d types prints every map, variable and expression type', async (t) => {
  const r = await bpfscript(['-q', '--dry-run', '-d', 'types', '-e', 'begin { $x = 1; @m[comm] = count(); printf("%d\\n", $x + 2); }']);
  t.is(
    r.stderr,
    `Maps:
  @m[string[16]]: count

Probe begin:
  $x: int64
  1:14  1 :: int8
  1:20  comm :: string[16]
  1:28  count() :: none
  1:37  printf("%d\\n", $x + 2) :: none
  1:52  $x + 2 :: int64
  1:52  $x :: int64
  1:57  2 :: int8
`,
  );
});

test('-d manifest and -d c', async (t) => {
  const r = await bpfscript(['-q', '--dry-run', '-d', 'manifest,c', '-e', 'begin { printf("x\\n"); }']);
  t.regex(r.stderr, /SEC\("raw_tp"\)/);
  t.regex(r.stderr, /"kind": "printf",\n\s+"format": "x\\n"/);
});

test('-d verifier prints each program\'s verifier log; -d libbpf libbpf\'s', async (t) => {
  const v = await bpfscript(['-q', '--dry-run', '-d', 'verifier', '-e', 'begin { exit(); }']);
  t.regex(v.stderr, /Program ID: \d+ \(begin: bs_probe_0, section raw_tp\)\n\nThe verifier log:\n[\s\S]*processed \d+ insns \(limit \d+\)/);
  const l = await bpfscript(['-q', '--dry-run', '-d', 'libbpf', '-e', 'begin { exit(); }']);
  t.regex(l.stderr, /libbpf: map 'bs_events': created successfully/);
});

test('-v: object, compile cache, program sizes and ids, verifier statistics, attachments', async (t) => {
  const prog = 'begin { printf("hi\\n"); } tracepoint:syscalls:sys_enter_getppid { @x = count(); }';
  await bpfscript(['-q', '--dry-run', '-e', prog]);
  const r = await bpfscript(['-v', '--dry-run', '-e', prog]);
  t.regex(r.stderr, /^BPF object \S+\.bpf\.o \(compile cache hit\)\nAttaching 2 probes\.\.\.\n/);
  t.regex(r.stderr, /\nProgram ID: \d+ \(begin: bs_probe_0, section raw_tp, \d+ instructions \(\d+ bytes\)\)\n\nThe verifier log:\n[\s\S]*processed \d+ insns/);
  t.regex(r.stderr, /\nProgram ID: \d+ \(tracepoint:syscalls:sys_enter_getppid: bs_probe_1, section tracepoint\/syscalls\/sys_enter_getppid, \d+ instructions/);
  t.regex(r.stderr, /\nAttaching tracepoint:syscalls:sys_enter_getppid\nAttached 2 probes\n$/);
});

test('--info reports kernel features probed for real', async (t) => {
  const r = await bpfscript(['--info']);
  t.is(r.code, 0);
  t.regex(r.stdout, /^System\n {2}OS: Linux .*\n {2}Arch: \S+\n\nBuild\n {2}version: v0\.1\.0\n/);
  for (const line of ['  probe_read_kernel: yes', '  Loop support: yes', '  btf: yes', '  ringbuf: yes', '  tracepoint: yes', '  raw_tp_special: yes', '  hash: yes']) {
    t.true(r.stdout.includes(`\n${line}\n`), line);
  }
  t.regex(r.stdout, /\n {2}Instruction limit: \d+\n/);
  t.regex(r.stdout, /\n {2}kfunc: (yes|no)\n {2}kprobe_multi: (yes|no)\n {2}kprobe_session: (yes|no)\n {2}uprobe_multi: (yes|no)\n/);
  const nf = await bpfscript(['--no-feature', 'uprobe_multi', '--info']);
  t.true(nf.stdout.includes('\n  uprobe_multi: no\n'));
});

test('-lv shows a tracepoint\'s arguments as bpftrace does', async (t) => {
  const r = await bpfscript(['-lv', 'tracepoint:sched:sched_switch']);
  t.is(r.stdout, 'tracepoint:sched:sched_switch\n    char prev_comm[16]\n    pid_t prev_pid\n    int prev_prio\n    long prev_state\n    char next_comm[16]\n    pid_t next_pid\n    int next_prio\n');
});

test('-l with a glob searches every provider', async (t) => {
  const r = await bpfscript(['-l', '*sys_enter*']);
  t.true(r.stdout.split('\n').includes('tracepoint:syscalls:sys_enter_getppid'), r.stdout);
  // A syscall event has no raw tracepoint of its own (attaching one is ENOENT): raw_syscalls' hook is listed.
  t.true(r.stdout.split('\n').includes('rawtracepoint:sys_enter'), r.stdout);
  t.false(r.stdout.split('\n').includes('rawtracepoint:sys_enter_getppid'), r.stdout);
});

test('-l with a program lists its probes, wildcards expanded (begin and end are not listed, as upstream); -l FILE too', async (t) => {
  const prog = 'begin {} tracepoint:syscalls:sys_enter_getpp* { }';
  t.is((await bpfscript(['-l', '-e', prog])).stdout, 'tracepoint:syscalls:sys_enter_getppid\n');
  const file = join(tmp(), 'p.bt');
  writeFileSync(file, prog);
  t.is((await bpfscript(['-l', file])).stdout, 'tracepoint:syscalls:sys_enter_getppid\n');
});

test('--fmt prints the canonical form; -o writes it to a file; a syntax error exits 1', async (t) => {
  const r = await bpfscript(['--fmt', '-e', 'begin{@x[1,2]=count();if($x>1){printf("a")}}']);
  t.is(r.stdout, 'begin {\n  @x[1, 2] = count();\n  if ($x > 1) {\n    printf("a");\n  }\n}\n');
  const dir = tmp();
  const src = join(dir, 'in.bt');
  const out = join(dir, 'out.bt');
  writeFileSync(src, '// a comment\ni:s:1 { exit() }\n');
  const w = await bpfscript(['--fmt', src, '-o', out]);
  t.is(w.stdout, '');
  t.is(readFileSync(out, 'utf8'), '// a comment\ni:s:1 {\n  exit();\n}\n');
  const bad = await bpfscript(['--fmt', '-e', 'begin {']);
  t.is(bad.code, 1);
  t.true(bad.stderr.startsWith('stdin:1:8-9: ERROR: syntax error, unexpected end of file\nbegin {\n'));
});

test('--emit-elf writes the BPF object and runs nothing; --mode codegen compiles only', async (t) => {
  const file = join(tmp(), 'prog.o');
  const r = await bpfscript(['--emit-elf', file, '-e', 'begin { printf("ran\\n"); }']);
  t.is(r.code, 0);
  t.is(r.stdout, '');
  t.is(readFileSync(file).subarray(0, 4).toString('latin1'), '\x7fELF');
  const c = await bpfscript(['--mode', 'codegen', '-e', 'begin { printf("ran\\n"); }']);
  t.is(c.code, 0);
  t.is(c.stdout + c.stderr, '');
});

test('-I and --include reach clang', async (t) => {
  const dir = tmp();
  writeFileSync(join(dir, 'bad.h'), '#error included from the command line\n');
  writeFileSync(join(dir, 'ok.h'), '#define BS_OK 1\n');
  const bad = await bpfscript(['-q', '-I', dir, '--include', 'bad.h', '-e', 'begin { exit(); }']);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /error: included from the command line/);
  const ok = await bpfscript(['-q', `-I${dir}`, '--include', 'ok.h', '-e', 'begin { printf("ok\\n"); exit(); }']);
  t.is(ok.stdout, 'ok\n\n\n');
});

test('SIGUSR1 prints every map while the program runs', async (t) => {
  const r = await runUntilAttached(['-e', 'begin { @a = 1; @b[2] = 3; } interval:s:30 { exit(); }'], (child) => {
    setTimeout(() => child.kill('SIGUSR1'), 300);
    setTimeout(() => child.kill('SIGINT'), 1000);
  });
  t.is(r.stdout, '@a: 1\n@b[2]: 3\n\n\n@a: 1\n@b[2]: 3\n');
  t.is(r.code, 0);
});

test('--unsafe allows system(); without it the call is a located error', async (t) => {
  const safe = await bpfscript(['-q', '-e', 'begin { system("echo hi"); }']);
  t.is(safe.code, 1);
  t.is(safe.stderr, 'stdin:1:9-26: ERROR: system() is an unsafe function being used in safe mode\nbegin { system("echo hi"); }\n        ~~~~~~~~~~~~~~~~~\n');
  const unsafe = await bpfscript(['-q', '--unsafe', '-e', 'begin { system("echo hi"); exit(); }']);
  t.is(unsafe.stdout, 'hi\n\n\n\n');
});

test('a child started with -c keeps working with -o (its output is not redirected)', async (t) => {
  const file = join(tmp(), 'out.txt');
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-q', '-o', file, '-c', `${prog} 3`, '-e', 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n = count(); }']);
  t.is(r.code, 0);
  t.is(readFileSync(file, 'utf8'), '\n\n@n: 3\n');
});

test('__BPFTRACE_NOTIFY_PROBES_ATTACHED: one line on stdout once attached, after the attach message and before any event, whatever -q, -f and -o say', async (t) => {
  const notify = { __BPFTRACE_NOTIFY_PROBES_ATTACHED: '1' };
  const quietJson = await bpfscript(['-q', '-f', 'json', '-e', 'begin { print(1); exit(); }'], { env: notify });
  t.is(quietJson.stdout, '__BPFTRACE_NOTIFY_PROBES_ATTACHED\n{"type": "value", "data": 1}\n');
  const json = await bpfscript(['-f', 'json', '-e', 'begin { print(1); exit(); }'], { env: notify });
  t.is(json.stdout, '{"type": "attached_probes", "count": 1, "data": {"probes": 1}}\n__BPFTRACE_NOTIFY_PROBES_ATTACHED\n{"type": "value", "data": 1}\n');
  const file = join(tmp(), 'out.txt');
  const toFile = await bpfscript(['-o', file, '-e', 'begin { printf("x\\n"); exit(); }'], { env: notify });
  t.is(toFile.stdout, '__BPFTRACE_NOTIFY_PROBES_ATTACHED\n');
  t.regex(readFileSync(file, 'utf8'), /^x\n\s*$/);
  const plain = await bpfscript(['-q', '-f', 'json', '-e', 'begin { print(1); exit(); }']);
  t.is(plain.stdout, '{"type": "value", "data": 1}\n');
});
