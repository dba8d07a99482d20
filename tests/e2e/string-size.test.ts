// The size of strings end to end: max_strlen, the truncation trailer
// (str_trunc_trailer) in text and JSON, str()'s length argument, and a
// tracepoint's `__data_loc` strings. Events come from the -c child's execve.
import test from 'ava';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

const timeoutMs = 120_000;

/** Runs `program` with `/bin/true ARGS` as the -c child; `env` sets BPFTRACE_* variables. */
async function onExec(program: string, args: string, env: Record<string, string> = {}, ...extra: string[]) {
  return bpfscript(['-q', ...extra, '-e', program, '-c', `/bin/true ${args}`], { timeoutMs, env });
}

const execve = 'tracepoint:syscalls:sys_enter_execve /pid == cpid/';

test('a string that does not fit max_strlen prints with the trailer; one that fits does not', async (t) => {
  const r = await onExec(`${execve} { printf("%s|%s|%s\\n", str(args.argv[1]), str(args.argv[2]), str(args.argv[3])); }`, 'abcd abcde abcdef', { BPFTRACE_MAX_STRLEN: '5' });
  t.is(r.stderr, '');
  t.is(r.stdout, 'abcd|abcde..|abcde..\n\n\n');
});

test('str_trunc_trailer: another trailer, or none; config and environment alike', async (t) => {
  const custom = await onExec(`${execve} { print(str(args.argv[1])); }`, 'truncated', { BPFTRACE_MAX_STRLEN: '4', BPFTRACE_STR_TRUNC_TRAILER: '_xxx' });
  t.is(custom.stdout, 'trun_xxx\n\n\n');
  const none = await onExec(`config = { max_strlen = 4; str_trunc_trailer = "" } ${execve} { @s = str(args.argv[1]); }`, 'truncated');
  t.is(none.stdout, '\n\n@s: trun\n');
});

test('the trailer in JSON output, map keys and tuples', async (t) => {
  const r = await onExec(`${execve} { @[str(args.argv[1])] = (1, str(args.argv[1])); }`, 'longer', { BPFTRACE_MAX_STRLEN: '3' }, '-f', 'json');
  t.is(r.stderr, '');
  t.is(r.stdout.trim(), '{"type": "map", "data": {"@": {"lon..": [1,"lon.."]}}}');
});

test('str(p, n) reads n bytes, its NUL included; a variable length too; no trailer', async (t) => {
  const r = await onExec(`${execve} { $n = (uint16)5; print(str(args.argv[1], 5)); print(str(args.argv[1], $n)); print(str(args.argv[1], $n + 1)); print(sizeof(str(args.argv[1], 5))); }`, 'zztest');
  t.is(r.stderr, '');
  t.is(r.stdout, 'zzte\nzzte\nzztes\n6\n\n\n');
});

test('a length beyond max_strlen warns and is cut to max_strlen', async (t) => {
  const r = await onExec(`${execve} { print(str(args.argv[1], 100)); }`, 'abcdefghij', { BPFTRACE_MAX_STRLEN: '8' });
  t.regex(r.stderr, /WARNING: length param \(100\) is too long and will be shortened to 8 bytes \(see BPFTRACE_MAX_STRLEN\)/);
  t.is(r.stdout, 'abcdefgh..\n\n\n');
});

test('a __data_loc string of a tracepoint is read through its offset', async (t) => {
  const r = await onExec('tracepoint:sched:sched_process_exec /pid == cpid/ { printf("%s %s\\n", str(args.filename), typeinfo(args.filename).full_type); }', '');
  t.is(r.stderr, '');
  t.is(r.stdout, '/bin/true int64\n\n\n');
});

test("a script struct's char array is a string one byte longer, never truncated", async (t) => {
  const prog = fixtureProgram('strings-target');
  const r = await bpfscript(['-q', '-e', `struct F { char s[5]; } uprobe:${prog}:bs_strings_target { $a = ((struct F *)arg0)->s; printf("%s %s %d\\n", $a, $a, sizeof($a)); }`, '-c', prog], { timeoutMs });
  t.is(r.stderr, '');
  t.is(r.stdout, 'hello hello 6\n\n\n');
});

// Strings larger than the BPF stack: the -c shell execs a path of 3000 characters (execve fails, the probe sees it).
const longName = `/${'X'.repeat(2999)}`;

/** Output with the long name as `<long>`, and its first 1000 characters as `<1000>`, so a mismatch reads short. */
const short = (s: string) => s.replaceAll(longName, '<long>').replaceAll(longName.slice(0, 1000), '<1000>');

async function onLongExec(program: string, env: Record<string, string> = { BPFTRACE_MAX_STRLEN: '5000' }, ...extra: string[]) {
  const r = await bpfscript(['-q', ...extra, '-e', program, '-c', `sh -c 'exec 2>/dev/null; exec ${longName}'`], { timeoutMs, env });
  return { ...r, stdout: short(r.stdout), stderr: short(r.stderr) };
}

const longExec = 'tracepoint:syscalls:sys_enter_execve /pid == cpid && strncmp(str(args.filename), "/XXX", 4) == 0/';

test('a string of several KB: printf, print, map key, tuple, variable, ==, index, strlen', async (t) => {
  const r = await onLongExec(`${longExec} { $s = str(args.filename); printf("%s\\n", $s); print($s); print((1, (2, $s))); @[$s] = count(); printf("%d %d %c %d\\n", $s == "${longName}", $s == "/X", $s[2999], strlen($s)); }`);
  t.is(r.stderr, '');
  t.is(r.stdout, '<long>\n<long>\n(1, (2, <long>))\n1 0 X 3000\n\n\n@[<long>]: 1\n');
});

test('big strings as map values, copied between maps, read in a map loop and in JSON', async (t) => {
  const r = await onLongExec(`${longExec} { @v[1] = str(args.filename); @w = @v[1]; @m[str(args.filename)] = @w; for ($kv : @m) { print($kv); } @e = @v[2]; }`);
  t.is(r.stderr, '');
  t.is(r.stdout, '(<long>, <long>)\n\n\n@e: \n@m[<long>]: <long>\n@v[1]: <long>\n@w: <long>\n');
  const j = await onLongExec(`${longExec} { @[pid > 0, str(args.filename)] = str(args.filename, 4); }`, undefined, '-f', 'json');
  t.is(j.stdout.trim(), '{"type": "map", "data": {"@": {"true,<long>": "/XX"}}}');
});

test('a big string past max_strlen is cut to it, with the trailer', async (t) => {
  const r = await onLongExec(`config = { max_strlen = 1000 } ${longExec} { print(str(args.filename)); }`, {});
  t.is(r.stderr, '');
  t.is(r.stdout, '<1000>..\n\n\n');
});

test('big strings: hist and multi-key maps keyed by them, str_concat, strcontains, strncmp', async (t) => {
  const r = await onLongExec(`${longExec} { $s = str(args.filename); @h[$s] = hist(5); @c[$s, 1] = count(); $c = str_concat($s, "!"); printf("%d %d %d %d %d\\n", strlen($c), $c[3000] == 33, strcontains($s, "XXXX"), strcontains($c, "X!"), strncmp($s, $c, 3001)); }`);
  t.is(r.stderr, '');
  t.is(r.stdout, '3001 1 1 1 1\n\n\n@c[<long>, 1]: 1\n@h[<long>]:\n[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n');
});

test('a probe with many string variables (an ntop() per address and family, as tcplife and tcpaccept) keeps them off the stack', async (t) => {
  const program = [
    'tracepoint:sock:inet_sock_set_state /pid == cpid/ {',
    '  $saddr = ntop(0); $daddr = ntop(0);',
    '  if (args.family == 2) { $saddr = ntop(2, args.saddr); $daddr = ntop(2, args.daddr); }',
    '  else { $saddr = ntop(10, args.saddr_v6); $daddr = ntop(10, args.daddr_v6); }',
    '  $comm = comm;',
    '  printf("%s %s %s %d %d->%d\\n", $comm, $saddr, $daddr, args.dport, args.oldstate, args.newstate);',
    '}',
  ].join('\n');
  // A refused connection: CLOSE -> SYN_SENT -> CLOSE.
  const r = await bpfscript(['-q', '-e', program, '-c', "bash -c 'exec 3<>/dev/tcp/127.0.0.1/9' 2>/dev/null"], { timeoutMs });
  t.is(r.stdout, 'bash 127.0.0.1 127.0.0.1 9 7->2\nbash 127.0.0.1 127.0.0.1 9 2->7\n\n\n', r.stderr);
});
