// bt-syscalls' own tests: bpfscript/testing's ScriptTester under node:test
// (`npm test` builds dist/ with tsc first). Scripts import the package by its
// name, as its users do. Without the kernel, the tester's tracefs knows
// syscalls:sys_enter_openat; the exit tracepoint's format is given here.
// `output` cases and the last test run on the kernel where BPF loads (root).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ScriptTester } from 'bpfscript/testing';
import { errname } from '../dist/plugin.js';

const sysExitOpenat = `name: sys_exit_openat
ID: 781
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;
\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;

print fmt: "0x%lx", REC->ret
`;

const tester = new ScriptTester({
  packageDir: fileURLToPath(new URL('..', import.meta.url)),
  formats: { 'syscalls:sys_exit_openat': sysExitOpenat },
});

tester.register('bt-syscalls', {
  valid: [
    {
      name: 'syscall:NAME is the entry tracepoint, its args typed from the format',
      script: 'import "bt-syscalls";\nsyscall:openat { printf("%s\\n", str(args.filename)); }',
      c: /SEC\("tracepoint\/syscalls\/sys_enter_openat"\)/,
    },
    {
      name: 'syscall:NAME:return is the exit tracepoint, with args.ret',
      script: 'import "bt-syscalls";\nsc:openat:return / args.ret < 0 / { @failed[errname(args.ret)] = count(); }',
      c: /SEC\("tracepoint\/syscalls\/sys_exit_openat"\)/,
    },
    {
      name: 'errname() prints errno names, in printf, print and map keys',
      script: 'import "bt-syscalls";\nbegin { printf("%s %s %s\\n", errname(-2), errname(-13), errname(5)); print(errname(-1)); @[errname(-22)] = count(); exit(); }',
      output: 'ENOENT EACCES 5\nEPERM\n\n\n@[EINVAL]: 1\n',
    },
  ],
  invalid: [
    { script: 'import "bt-syscalls";\nsyscall:openat:entry { }', errors: [{ message: 'syscall probes are written syscall:NAME or syscall:NAME:return', line: 2, col: 1 }] },
    { script: 'import "bt-syscalls";\nsyscall:no_such_call { }', errors: [{ message: 'No matches for syscall no_such_call.', line: 2, col: 1 }] },
    { script: 'import "bt-syscalls";\nbegin { print(errname()); }', errors: [{ message: 'errname() takes one argument', line: 2, col: 15 }] },
    { script: 'import "bt-syscalls";\nbegin { print(errname("ENOENT")); }', errors: [{ message: 'errname() takes an integer', line: 2, col: 23 }] },
  ],
}, test);

test('every builtin is documented as the standard library is (:variant and description)', () => tester.checkDocs());

test('errname() in JavaScript: names for failures, numbers for the rest', () => {
  assert.equal(errname(-2n), 'ENOENT');
  assert.equal(errname(-4095n), 'E4095');
  assert.equal(errname(0n), '0');
  assert.equal(errname(3n), '3');
});

// End to end: this process opens a file that is not there; the entry probe
// marks the thread, the return probe prints why the call failed.
test('bt-syscalls › a failed openat of this process, by name', { skip: !tester.runsOnKernel && 'BPF cannot be loaded here (not root)' }, async () => {
  const path = `/tmp/bt-syscalls-test-${process.pid}/missing`;
  const { openSync } = await import('node:fs');
  const opener = setInterval(() => {
    try {
      openSync(path, 'r');
    } catch {
      // ENOENT: what the script is waiting for.
    }
  }, 50);
  try {
    const run = await tester.execute(`import "bt-syscalls";
syscall:openat / str(args.filename) == "${path}" / { @opening[tid] = 1; }
syscall:openat:return / @opening[tid] / { printf("%s %s\\n", probe, errname(args.ret)); delete(@opening, tid); exit(); }`);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, 'tracepoint:syscalls:sys_exit_openat ENOENT\n\n\n');
    assert.equal(run.code, 0);
  } finally {
    clearInterval(opener);
  }
});
