// End to end: C next to scripts. `.bpf.c` units compiled and linked with the
// program, their functions called as `__name(args)` (strings by pointer,
// out-parameters through `&$var`), kfuncs and CO-RE reads inside units, a
// `.bpf.o` import, headers, an npm package with a plugin, the compile cache,
// and the errors.
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, repoRoot } from '../helpers/run.ts';
import { bpfTargetFlags, findClang } from '../../core/build/index.ts';

const script = (name: string) => `tests/scripts/interop/${name}`;

function tempDir(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-interop-')));
}

/** Runs a script and checks exactly what it prints (stderr: the attach line only) and a 0 exit. */
async function runsTo(t: ExecutionContext, args: string[], stdout: string, probes = 1): Promise<void> {
  const r = await bpfscript(args);
  t.is(r.stderr, `Attached ${probes} probe${probes === 1 ? '' : 's'}\n`);
  t.is(r.stdout, stdout);
  t.is(r.code, 0);
}

// Each row: a script under tests/scripts/interop/ and exactly what it prints.
const scripts: [string, string, string][] = [
  ['strstr: a macro over a C helper; strings passed by pointer, an out-parameter filled through &$var', 'strstr.bt', '6\n-1\n0\n16\n8 desserts\n\n\n'],
  ['a unit\'s map, global variable and const volatile setting work after linking', 'state.bt', '1005\n2010\n\n\n'],
  ['an imported header: its folder is on the include path of the script\'s C units', 'header.bt', '42\n\n\n'],
];

for (const [name, file, stdout] of scripts) test(name, (t) => runsTo(t, [script(file)], stdout));

test('a kfunc in a C unit: bpf_task_from_pid finds a process by pid and its comm comes back through a struct out-parameter; CO-RE reads work in units', async (t) => {
  const sleeper = spawn('sleep', ['30']);
  try {
    // The parent of bpfscript (bin/bpfscript execs node) is this test process.
    await runsTo(t, [script('task.bt'), String(sleeper.pid)], `0 sleep\n-3\nparent ${process.pid}\n\n\n`, 2);
  } finally {
    sleeper.kill();
  }
});

test('error: the kernel refuses bpf_task_from_pid in a raw_tp program (begin) with the verifier\'s words', async (t) => {
  const r = await bpfscript(['-e', `import "${script('task.bpf.c')}";\nbegin { let $c: string[16]; print(__bpf_task_comm_from_pid(1, &$c)); exit(); }`]);
  t.regex(r.stderr, /^ERROR: failed to load BPF object 'bpfscript': Permission denied \(EACCES\)\n/);
  t.regex(r.stderr, /\ncalling kernel function bpf_task_from_pid is not allowed\n/);
  t.notRegex(r.stderr, /\n\s+at /);
  t.is(r.code, 1);
});

test('stdlib/test: the standard library\'s C interop self-check returns 1', async (t) => {
  const r = await bpfscript(['-q', '-e', 'import "stdlib/test"; begin { print(__always_true()); exit(); }']);
  t.is(r.stdout, '1\n\n\n', r.stderr);
});

test('an imported .bpf.o is linked as it is; its own programs are not loaded', async (t) => {
  const dir = tempDir();
  execFileSync(findClang(), [...bpfTargetFlags(), '-c', join(repoRoot, 'tests/fixtures/c-interop/bytes.bpf.c'), '-o', join(dir, 'bytes.bpf.o')]);
  writeFileSync(join(dir, 'main.bt'), 'import "bytes.bpf.o";\nbegin { print(__sum_bytes("ABC", 3)); $s = "zz"; print(__sum_bytes($s, 2)); exit(); }\n');
  await runsTo(t, [join(dir, 'main.bt')], '198\n244\n\n\n');
});

test('an npm package with macros, C helpers and a plugin contributing a builtin; a macro\'s own C import links only when it is used', async (t) => {
  const dir = tempDir();
  cpSync(join(repoRoot, 'tests/fixtures/packages/bt-fixture'), join(dir, 'node_modules/bt-fixture'), { recursive: true });
  writeFileSync(join(dir, 'main.bt'), 'import "bt-fixture";\nbegin { print(answer()); print(twice(21)); print(thrice(14)); exit(); }\n');
  await runsTo(t, [join(dir, 'main.bt')], '42\n42\n42\n\n\n');
  writeFileSync(join(dir, 'unused.bt'), 'import "bt-fixture";\nbegin { print(__fixture_thrice(1)); }\n');
  const unused = await bpfscript([join(dir, 'unused.bt')]);
  t.regex(unused.stderr, /ERROR: Unknown function: '__fixture_thrice'/);
  t.is(unused.code, 1);
});

test('the second run of a script importing a .bpf.c does not run clang at all; editing the unit or its header does', async (t) => {
  const dir = tempDir();
  const log = join(dir, 'clang.log');
  const wrapper = join(dir, 'clang');
  writeFileSync(wrapper, `#!/bin/sh\necho "$@" >> '${log}'\nexec '${findClang()}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  cpSync(join(repoRoot, 'tests/scripts/interop/answer.bpf.c'), join(dir, 'answer.bpf.c'));
  mkdirSync(join(dir, 'include'));
  writeFileSync(join(dir, 'include/answer.h'), '#define ANSWER 42\n');
  writeFileSync(join(dir, 'main.bt'), 'import "include/answer.h";\nimport "answer.bpf.c";\nbegin { print(__answer()); exit(); }\n');
  const env = { BPFSCRIPT_CLANG: wrapper, BPFSCRIPT_CACHE_DIR: join(dir, 'cache') };
  const runs = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const unitRuns = () => runs().filter((l) => l.includes('answer.bpf.c')).length;

  const first = await bpfscript([join(dir, 'main.bt')], { env });
  t.is(first.stdout, '42\n\n\n');
  t.is(unitRuns(), 1);
  const before = runs().length;
  const second = await bpfscript([join(dir, 'main.bt')], { env });
  t.is(second.stdout, '42\n\n\n');
  t.is(runs().length, before, 'clang did not run');

  writeFileSync(join(dir, 'include/answer.h'), '#define ANSWER 43\n');
  const header = await bpfscript([join(dir, 'main.bt')], { env });
  t.is(header.stdout, '43\n\n\n');
  t.is(unitRuns(), 2);
});

// Each row: a script under tests/scripts/interop/errors/ and exactly what it prints.
const errors: [string, string, string][] = [
  [
    'calling a C function no unit defines',
    'unknown-function.bt',
    'tests/scripts/interop/errors/unknown-function.bt:2:15-28: ERROR: Unknown function: \'__strstr_nope\'\n' +
      'begin { print(__strstr_nope("a", 2, "b", 2)); }\n' +
      '              ~~~~~~~~~~~~~\n',
  ],
  [
    'the wrong number of arguments',
    'argument-count.bt',
    'tests/scripts/interop/errors/argument-count.bt:2:15-35: ERROR: __strstr() takes 4 arguments, got 2: int __strstr(const char *haystack, int hlen, const char *needle, int nlen)\n' +
      'begin { print(__strstr("hello", 6)); }\n' +
      '              ~~~~~~~~~~~~~~~~~~~~\n',
  ],
  [
    'an integer for a char pointer',
    'argument-type.bt',
    'tests/scripts/interop/errors/argument-type.bt:2:36-37: ERROR: __strstr(): argument 3 (const char *needle) must be &$variable, a string, a pointer or 0, got int8\n' +
      'begin { print(__strstr("hello", 6, 7, "lo")); }\n' +
      '                                   ~\n',
  ],
  [
    'an out-parameter variable smaller than the struct the function writes',
    'out-too-small.bt',
    'tests/scripts/interop/errors/out-too-small.bt:2:71-74: ERROR: __bpf_task_comm_from_pid(): argument 2 (struct comm *out) points to 16 bytes, but $c (string[8]) has 8\n' +
      'interval:ms:10 { let $c: string[8]; print(__bpf_task_comm_from_pid(1, &$c)); }\n' +
      '                                                                      ~~~\n',
  ],
  [
    'a unit that does not compile: clang\'s messages with the file\'s path',
    'compile-error.bt',
    'tests/scripts/interop/errors/compile-error.bt:1:1-19: ERROR: failed to compile tests/scripts/interop/errors/bad.bpf.c\n' +
      'import "bad.bpf.c";\n' +
      '~~~~~~~~~~~~~~~~~~\n' +
      'ERROR: clang says:\n' +
      'tests/scripts/interop/errors/bad.bpf.c:3:14: error: use of undeclared identifier \'y\'\n' +
      '    3 |   return x + y;\n' +
      '      |              ^\n' +
      '1 error generated.\n',
  ],
  [
    'two units defining one function',
    'defined-twice.bt',
    'tests/scripts/interop/errors/defined-twice.bt:2:1-21: ERROR: C function __strstr is defined by both tests/scripts/interop/strings.bpf.c and tests/scripts/interop/errors/twice.bpf.c\n' +
      'import "twice.bpf.c";\n' +
      '~~~~~~~~~~~~~~~~~~~~\n',
  ],
  [
    'a C function named like a builtin',
    'builtin-name.bt',
    'tests/scripts/interop/errors/builtin-name.bt:1:1-23: ERROR: C function nsecs of tests/scripts/interop/errors/builtin.bpf.c has the name of a builtin; rename it (imported C functions are usually named __name)\n' +
      'import "builtin.bpf.c";\n' +
      '~~~~~~~~~~~~~~~~~~~~~~\n',
  ],
];

for (const [name, file, stderr] of errors) {
  test(`error: ${name}`, async (t) => {
    const r = await bpfscript([script(`errors/${file}`)]);
    t.is(r.stderr, stderr);
    t.is(r.stdout, '');
    t.is(r.code, 1);
  });
}
