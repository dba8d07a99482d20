// End to end: macros, imports (files, folders, npm packages), the config
// block and the standard library, from tests/scripts/core/ through the
// kernel to bpftrace's output.
import test from 'ava';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, repoRoot } from '../helpers/run.ts';

const script = (name: string) => `tests/scripts/core/${name}`;

function tempDir(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-core-')));
}

// Each row: a script under tests/scripts/core/, and exactly what it prints.
const scripts: [string, string, { stdout: string; stderr: string }][] = [
  [
    'macros: expression, $variable and @map parameters, bare names, nesting, arguments evaluated at each use, typeof arguments',
    'macros.bt',
    { stdout: '11\n3\n11\n1\n3\nhihihi\n(2, 1)\n255\n\n\n@hits[1]: 6\n', stderr: 'Attached 1 probe\n' },
  ],
  [
    'the standard library loads on use; a user macro overrides one for the script only',
    'stdlib.bt',
    { stdout: '42\n4\n100\n0\n3\ntrue\nfalse\n\n\n', stderr: 'Attached 1 probe\n' },
  ],
  [
    'nested imports and a folder import; imported begin probes run first, dependencies before dependents',
    'imports.bt',
    { stdout: 'util loaded\ncounters loaded\nhelpers loaded\n2 42 7\n\n\n', stderr: 'Attached 4 probes\n' },
  ],
  [
    'a declared lruhash(2) map keeps the 2 most recent keys',
    'lru.bt',
    { stdout: '\n\n@recent[2]: 20\n@recent[3]: 30\n', stderr: 'Attached 1 probe\n' },
  ],
];

for (const [name, file, want] of scripts) {
  test(name, async (t) => {
    const r = await bpfscript([script(file)]);
    t.deepEqual({ stdout: r.stdout, stderr: r.stderr }, want);
    t.is(r.code, 0);
  });
}

test('an npm package found through node_modules', async (t) => {
  const dir = tempDir();
  cpSync(join(repoRoot, 'tests/fixtures/packages/bt-greet'), join(dir, 'node_modules/bt-greet'), { recursive: true });
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(join(dir, 'scripts/main.bt'), 'import "bt-greet";\nbegin { greet("world"); exit(); }\n');
  const r = await bpfscript([join(dir, 'scripts/main.bt')]);
  t.is(r.stderr, 'Attached 1 probe\n');
  t.is(r.stdout, 'hello, world\n\n\n');
  t.is(r.code, 0);
});

test('the config block: no maps printed at exit, 16-byte strings; BPFTRACE_MAX_STRLEN wins over it', async (t) => {
  const r = await bpfscript([script('config.bt')]);
  t.is(r.stdout, '16\n\n\n');
  t.is(r.code, 0);
  const env = await bpfscript([script('config.bt')], { env: { BPFTRACE_MAX_STRLEN: '24' } });
  t.is(env.stdout, '24\n\n\n');
});

test('error: a type error inside a macro body points at the body, then at the call', async (t) => {
  const r = await bpfscript(['-e', 'macro bad(x) { x + "s" }\nbegin { print(bad(1)); }']);
  t.regex(r.stderr, /^stdin:1:16-23: ERROR: .*\nmacro bad\(x\) \{ x \+ "s" \}\n {15}~{7}\nstdin:2:15-21: ERROR: in expansion of macro 'bad'\nbegin \{ print\(bad\(1\)\); \}\n {14}~{6}\n$/);
  t.is(r.code, 1);
});

test('error: an import that does not exist', async (t) => {
  const r = await bpfscript([script('errors/unknown-import.bt')]);
  const dir = join(repoRoot, 'tests/scripts/core/errors');
  t.is(r.stderr,
    'tests/scripts/core/errors/unknown-import.bt:1:1-25: ERROR: Unable to find suitable path for import\n' +
      'import "no/such/file.bt";\n' +
      '~~~~~~~~~~~~~~~~~~~~~~~~\n' +
      `HINT: checked: ${dir}/no/such/file.bt, package no (node_modules folders from ${dir} up)\n`);
  t.is(r.code, 1);
  const e = await bpfscript(['-e', 'import "missing.bt"; begin { }']);
  t.is(e.stderr.split('\n').slice(0, 3).join('\n'), 'stdin:1:1-20: ERROR: Unable to find suitable path for import\nimport "missing.bt"; begin { }\n~~~~~~~~~~~~~~~~~~~');
});

test('error: importing from a world-writable folder', async (t) => {
  const dir = tempDir();
  mkdirSync(join(dir, 'lib'));
  writeFileSync(join(dir, 'lib/x.bt'), 'macro x() { 1 }\n');
  chmodSync(join(dir, 'lib'), 0o777);
  writeFileSync(join(dir, 'main.bt'), 'import "lib";\nbegin { }\n');
  const r = await bpfscript([join(dir, 'main.bt')]);
  t.is(r.stderr,
    `${dir}/main.bt:1:1-13: ERROR: cowardly refusing to import from a directory with global write permissions: "${dir}/lib"\n` +
      'import "lib";\n' +
      '~~~~~~~~~~~~\n');
  t.is(r.code, 1);
});

// Each row: a script under tests/scripts/core/errors/, and exactly what it prints on stderr.
const scriptErrors: [string, string, string][] = [
  [
    'a macro using a map it was not given',
    'hygiene.bt',
    'tests/scripts/core/errors/hygiene.bt:2:3-7: ERROR: Unhygienic access to map: @sum. Maps must be passed into the macro as arguments.\n' +
      '  @sum + 1\n' +
      '  ~~~~\n' +
      'tests/scripts/core/errors/hygiene.bt:7:9-16: ERROR: in expansion of macro \'total\'\n' +
      '  print(total());\n' +
      '        ~~~~~~~\n',
  ],
  [
    'an expression passed for a $variable parameter',
    'wrong-arg.bt',
    'tests/scripts/core/errors/wrong-arg.bt:4:3-13: ERROR: Call to inc() has arguments that do not match any definition.\n' +
      '  inc(1 + 1);\n' +
      '  ~~~~~~~~~~\n' +
      'tests/scripts/core/errors/wrong-arg.bt:4:7-12: ERROR: Mismatched arg. inc() expects a variable for arg $x but got an expression.\n' +
      '  inc(1 + 1);\n' +
      '      ~~~~~\n' +
      'tests/scripts/core/errors/wrong-arg.bt:1:11-13: ERROR: This is the argument in the closest definition.\n' +
      'macro inc($x) { $x += 1; }\n' +
      '          ~~\n',
  ],
  [
    'a config block in an imported file, quoted from that file',
    'config-in-import.bt',
    'tests/scripts/core/errors/with-config.bt:2:1-29: ERROR: invalid `config` within import\n' +
      'config = { max_strlen = 32 }\n' +
      '~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n',
  ],
  [
    'an unknown config key',
    'unknown-config.bt',
    'tests/scripts/core/errors/unknown-config.bt:3:3-25: ERROR: max_string_length: not a known configuration option\n' +
      '  max_string_length = 64\n' +
      '  ~~~~~~~~~~~~~~~~~~~~~~\n',
  ],
];

for (const [name, file, stderr] of scriptErrors) {
  test(`error: ${name}`, async (t) => {
    const r = await bpfscript([script(`errors/${file}`)]);
    t.is(r.stderr, stderr);
    t.is(r.stdout, '');
    t.is(r.code, 1);
  });
}
