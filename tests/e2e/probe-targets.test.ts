// Where uprobes and USDT probes go, against the kernel: wildcards in the file
// path, a process given with -p (its binaries and libraries, `*` and an empty
// target for all of them, its mount namespace through /proc/PID/root, USDT
// semaphores), and what bpftrace refuses at attach time.
import test from 'ava';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';
import { startFixture, startFixtureInMountNamespace } from '../helpers/background.ts';

const loop = 'user-probes-loop';

test('uprobe and usdt file paths with wildcards expand to every matching binary', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-targets-'));
  for (const n of ['one', 'two']) copyFileSync(fixtureProgram('uprobe-target'), join(dir, `target-${n}`));
  const list = await bpfscript(['-l', `uprobe:${dir}/target-*:bs_*`]);
  t.is(list.stdout, `uprobe:${dir}/target-one:bs_uprobe_target\nuprobe:${dir}/target-two:bs_uprobe_target\n`);
  const r = await bpfscript(['-q', '-e', `uprobe:${dir}/target-*:bs_uprobe_target { @[probe] = count(); }`, '-c', `${dir}/target-two 3`]);
  t.is(r.stdout, `\n\n@[uprobe:${dir}/target-two:bs_uprobe_target]: 3\n`);
  const usdt = fixtureProgram('usdt-target');
  const u = await bpfscript(['-q', '-e', `usdt:${dirname(usdt)}/usdt-targ*:bpfscript:tick { @ = count(); }`, '-c', `${usdt} 4`]);
  t.is(u.stdout, '\n\n@: 4\n');
});

test('-p PID: `uprobe:*` and `usdt::` search every file the process maps; its semaphores are set', async (t) => {
  const target = await startFixture(loop, ['600']);
  try {
    const r = await bpfscript(['-e', 'uprobe:*:bs_loop_tick { @ = count(); if (@ == 3) { exit(); } }', '-p', String(target.pid)]);
    t.regex(r.stderr, /^Attached 1 probe\n/);
    // exit() ends the run; calls already on their way still count.
    t.regex(r.stdout, /^\n\n@: [3-9]\n$/);
    const u = await bpfscript(['-q', '-e', 'usdt::bpfscript:sem { printf("semaphore %d\\n", arg0); exit(); }', '-p', String(target.pid)]);
    t.regex(u.stdout, /^semaphore [1-9]\n/);
    const star = await bpfscript(['-q', '-e', 'usdt:*:bpfscript:loop { print(probe); exit(); }', '-p', String(target.pid)]);
    t.regex(star.stdout, new RegExp(`^usdt:/proc/${target.pid}/root/\\S+/${loop}:bpfscript:loop\\n`));
  } finally {
    target.stop();
  }
});

test('-p PID: a software event counts that process only', async (t) => {
  const target = await startFixture(loop, ['600']);
  try {
    const r = await bpfscript(['-q', '-e', 'software:cpu-clock:1000000 { @[pid] = count(); } interval:ms:300 { exit(); }', '-p', String(target.pid)]);
    t.regex(r.stdout, new RegExp(`^\\n\\n@\\[${target.pid}\\]: \\d+\\n$`));
  } finally {
    target.stop();
  }
});

test('-p PID in another mount namespace: its files are reached through /proc/PID/root', async (t) => {
  const target = await startFixtureInMountNamespace(loop, ['600']);
  try {
    // The path names a file only the process's namespace has.
    const r = await bpfscript(['-q', '-e', `uprobe:${target.path}:bs_loop_tick { print(probe); exit(); }`, '-p', String(target.pid)]);
    t.is(r.stdout.split('\n')[0], `uprobe:/proc/${target.pid}/root${target.path}:bs_loop_tick`);
    const u = await bpfscript(['-q', '-e', `usdt:${target.path}:bpfscript:loop { printf("loop\\n"); exit(); }`, '-p', String(target.pid)]);
    t.regex(u.stdout, /^(loop\n)+\n\n$/);
    const list = await bpfscript(['-l', 'usdt:*', '-p', String(target.pid)]);
    t.true(list.stdout.split('\n').includes(`usdt:/proc/${target.pid}/root${target.path}:bpfscript:loop`), list.stdout);
  } finally {
    target.stop();
  }
});

test('-l -p PID lists the process\'s uprobes and USDT probes, of its libraries too', async (t) => {
  const target = await startFixture(loop, ['600']);
  try {
    const all = (await bpfscript(['-l', '-p', String(target.pid)])).stdout.split('\n');
    const exe = `/proc/${target.pid}/root${fixtureProgram(loop)}`;
    t.true(all.includes(`uprobe:${exe}:bs_loop_tick`));
    t.true(all.includes(`usdt:${exe}:bpfscript:sem`));
    t.true(all.some((l) => /^uprobe:\/proc\/\d+\/root\/\S+libc\.so\.6:malloc$/.test(l)), 'libc is mapped');
    const usdt = await bpfscript(['-l', 'usdt:*:bpfscript:*', '-p', String(target.pid)]);
    t.is(usdt.stdout, `usdt:${exe}:bpfscript:loop\nusdt:${exe}:bpfscript:sem\n`);
  } finally {
    target.stop();
  }
});

test('-l with a wildcard for the provider includes uprobes and USDT probes of an existing file', async (t) => {
  const prog = fixtureProgram('usdt-target');
  const r = await bpfscript(['-l', `*:${prog}:*`]);
  const lines = r.stdout.split('\n');
  t.true(lines.includes(`usdt:${prog}:bpfscript:tick`));
  t.true(lines.includes(`uprobe:${prog}:main`));
  t.false(lines.some((l) => l.startsWith('uretprobe:')), 'return probes only when named');
});

test('attach-time refusals as bpftrace words them: a symbol of size 0, an offset past the end, an address in no function', async (t) => {
  const prog = fixtureProgram('uprobe-target');
  const zero = await bpfscript(['-e', `uprobe:${prog}:_init { }`]);
  t.is(zero.code, 1);
  t.is(zero.stderr, `ERROR: Could not determine boundary for _init (symbol has size 0).\nUse --unsafe to force attachment. WARNING: This option could lead to data corruption in the target process.\nERROR: Unable to attach probe: uprobe:${prog}:_init. If this is expected, set the 'missing_probes' config variable to 'warn'.\n`);
  const unsafe = await bpfscript(['--unsafe', '--dry-run', '-e', `uprobe:${prog}:_init { }`]);
  t.is(unsafe.code, 0, unsafe.stderr);
  const far = await bpfscript(['-e', `uprobe:${prog}:bs_uprobe_target+100000 { }`]);
  t.regex(far.stderr, /^ERROR: Offset outside the function bounds \('bs_uprobe_target' size is \d+\)\n/);
  const address = await bpfscript(['-e', `uprobe:${prog}:10 { }`]);
  t.regex(address.stderr, new RegExp(`^ERROR: Could not resolve address: ${prog}:0xa\\n`));
  const warn = await bpfscript(['-q', '-e', `config = { missing_probes = warn } uprobe:${prog}:_init { } begin { exit(); }`]);
  t.is(warn.code, 0);
  t.regex(warn.stderr, new RegExp(`\\nWARNING: Unable to attach probe: uprobe:${prog}:_init\\. Skipping\\.\\n$`));
});

test('a USDT target that names nothing, or none without -p', async (t) => {
  const r = await bpfscript(['-e', 'usdt:/no/such/file:p:n { }']);
  t.regex(r.stderr, /^stdin:1:1-23: ERROR: usdt target file '\/no\/such\/file' does not exist or is not executable\n/);
  const empty = await bpfscript(['-e', 'usdt::p:n { }']);
  t.regex(empty.stderr, /ERROR: usdt probes need a target file, or -p PID to look in every file of the process\n/);
});
