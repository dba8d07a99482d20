// End to end against the kernel: scripts in, BPF attached, bpftrace's output out.
import test from 'ava';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

const histExpected = `

@:
(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[0]                    0 |                                                    |
[1]                    0 |                                                    |
[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[8, 16)                0 |                                                    |
[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |

`;

test('hist of -1, 2, 3, 7, 20 prints bpftrace\'s histogram', async (t) => {
  const r = await bpfscript(['-e', 'begin { @=hist(-1); @=hist(2); @=hist(3); @=hist(7); @=hist(20); exit(); }']);
  t.is(r.stderr, 'Attached 1 probe\n');
  t.is(r.stdout, histExpected);
  t.is(r.code, 0);
});

test('lhist(x, 0, 10, 2) prints bpftrace\'s linear histogram', async (t) => {
  const r = await bpfscript(['-e', 'begin { @=lhist(-1, 0, 10, 2); @=lhist(2, 0, 10, 2); @=lhist(3, 0, 10, 2); @=lhist(7, 0, 10, 2); @=lhist(20, 0, 10, 2); exit(); }']);
  t.is(r.stdout, `

@:
(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[0, 2)                 0 |                                                    |
[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[4, 6)                 0 |                                                    |
[6, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[8, 10)                0 |                                                    |
[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |

`);
  t.is(r.code, 0);
});

test('-c runs the command; a tracepoint filtered on cpid counts its 1000 getppid calls', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-e', 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @calls = count(); }', '-c', prog]);
  t.is(r.stdout, '\n\n@calls: 1000\n');
  t.is(r.stderr, 'Attached 1 probe\n');
  t.is(r.code, 0);
});

test('a syntax error prints the bpftrace diagnostic with a marker and exits 1', async (t) => {
  const r = await bpfscript(['-e', 'begin { @x = 1 +; }']);
  t.is(r.code, 1);
  t.regex(r.stderr, /^stdin:1:\d+-\d+: ERROR: /);
  const lines = r.stderr.split('\n');
  t.is(lines[1], 'begin { @x = 1 +; }');
  t.regex(lines[2], /^ +~+$/);
  t.notRegex(r.stderr, /at .*\.(ts|mjs):\d+/);
});
