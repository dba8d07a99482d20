// End to end: what goes wrong in a package is reported under the package's
// name at the script's place: an exception in a builtin's check or a
// provider's expand, C a builtin emitted that clang refuses, an exception at
// run time (a provider's attach, an action handler, a value renderer, a hook
// tap), and
// built-in names a package takes (refused, or warned about when it says so).
import test from 'ava';
import { cpSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, repoRoot } from '../helpers/run.ts';

/** A folder with the fixture packages installed, and `main.bt` holding `script`. */
function project(script: string, ...packages: string[]): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-pkgdiag-')));
  for (const p of packages) cpSync(join(repoRoot, 'tests/fixtures/packages', p), join(dir, 'node_modules', p), { recursive: true });
  writeFileSync(join(dir, 'main.bt'), script);
  return join(dir, 'main.bt');
}

test('a builtin whose check throws: the plugin, the builtin and the call, and where in the plugin', async (t) => {
  const main = project('import "bt-misbehave";\nbegin { print(deep()); }\n', 'bt-misbehave');
  const r = await bpfscript([main]);
  const lines = r.stderr.split('\n');
  t.is(lines.slice(0, 3).join('\n'),
    `${main}:2:15-21: ERROR: builtin deep() of plugin "misbehave" of package "bt-misbehave" failed in check: TypeError: Cannot read properties of undefined (reading 'deeper')\n` +
    'begin { print(deep()); }\n' +
    '              ~~~~~~');
  t.regex(lines[3]!, /^HINT: at Object\.check \(file:\/\/.*\/node_modules\/bt-misbehave\/plugin\.js:7:\d+\)$/);
  t.is(r.code, 1);
});

test('a provider whose expand throws: reported at the attach point', async (t) => {
  const main = project('import "bt-misbehave";\nboom:x { }\n', 'bt-misbehave');
  const r = await bpfscript([main]);
  t.true(r.stderr.startsWith(`${main}:2:1-7: ERROR: provider "boom" of plugin "misbehave" of package "bt-misbehave" failed in expand: TypeError: Cannot read properties of undefined (reading 'length')\nboom:x { }\n~~~~~~\n`), r.stderr);
  t.is(r.code, 1);
});

test('C a builtin emitted that clang refuses: at the call, with the C line', async (t) => {
  const main = project('import "bt-misbehave";\nbegin { print(bad_c(3)); }\n', 'bt-misbehave');
  const r = await bpfscript([main]);
  const lines = r.stderr.split('\n');
  t.is(lines.slice(0, 3).join('\n'),
    `${main}:2:15-23: ERROR: builtin bad_c() of plugin "misbehave" of package "bt-misbehave" emitted C that clang refuses: use of undeclared identifier 'no_such_variable'\n` +
    'begin { print(bad_c(3)); }\n' +
    '              ~~~~~~~~');
  t.regex(lines[3]!, /^HINT: in the generated C: .*\(\{ __u64 n = 3LL; n \+ no_such_variable; \}\)/);
  t.notRegex(lines[3]!, /bs-plugin/);
  t.is(r.code, 1);
});

test('a provider whose attach throws: the plugin, the provider, the probe and its attach point', async (t) => {
  const main = project('import "bt-misbehave";\nflaky:x { }\n', 'bt-misbehave');
  const r = await bpfscript(['-q', main]);
  const lines = r.stderr.split('\n');
  t.is(lines.slice(0, 3).join('\n'),
    `${main}:2:1-8: ERROR: provider "flaky" of plugin "misbehave" of package "bt-misbehave" failed in attach of flaky:x: TypeError: Cannot read properties of undefined (reading 'open')\n` +
    'flaky:x { }\n' +
    '~~~~~~~', r.stderr);
  t.regex(lines[3]!, /^HINT: at Object\.attach \(file:\/\/.*\/node_modules\/bt-misbehave\/plugin\.js:30:\d+\)$/);
  t.is(lines.length, 5);
  t.is(r.code, 1);
});

test('an action handler that throws on its event: reported at the call that sent it', async (t) => {
  const main = project('import "bt-misbehave";\nbegin { shout(3); exit(); }\n', 'bt-misbehave');
  const r = await bpfscript(['-q', main]);
  const lines = r.stderr.split('\n');
  t.is(lines.slice(0, 3).join('\n'),
    `${main}:2:9-17: ERROR: action handler "shout" of plugin "misbehave" of package "bt-misbehave" failed in handle: TypeError: Cannot read properties of undefined (reading 'value')\n` +
    'begin { shout(3); exit(); }\n' +
    '        ~~~~~~~~', r.stderr);
  t.regex(lines[3]!, /^HINT: at Object\.handle \(file:\/\/.*\/node_modules\/bt-misbehave\/plugin\.js:48:\d+\)$/);
  t.is(r.code, 1);
});

test('a value renderer that throws: at the printf whose value it rendered, or unplaced for a map at exit', async (t) => {
  const main = project('import "bt-misbehave";\nbegin { printf("%d %s\\n", 1, garbled(7)); exit(); }\n', 'bt-misbehave');
  const r = await bpfscript(['-q', main]);
  const lines = r.stderr.split('\n');
  t.is(lines.slice(0, 3).join('\n'),
    `${main}:2:9-41: ERROR: value renderer "garbled" of plugin "misbehave" of package "bt-misbehave" failed in render: RangeError: no glyph for 7\n` +
    'begin { printf("%d %s\\n", 1, garbled(7)); exit(); }\n' +
    '        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~', r.stderr);
  t.regex(lines[3]!, /^HINT: at .*\/node_modules\/bt-misbehave\/plugin\.js:61:\d+\)?$/);
  t.is(r.code, 1);

  const atExit = await bpfscript(['-q', project('import "bt-misbehave";\nbegin { @x[garbled(8)] = 1; exit(); }\n', 'bt-misbehave')]);
  t.regex(atExit.stderr, /^ERROR: value renderer "garbled" of plugin "misbehave" of package "bt-misbehave" failed in render: RangeError: no glyph for 8\nHINT: at /);
  t.is(atExit.code, 1);
});

test('a hook tap that throws while the script runs: the tap, its plugin, the hook, at the import', async (t) => {
  const main = project('import "bt-misbehave";\nbegin { } interval:s:1 { exit(); } interval:s:2 { }\n', 'bt-misbehave');
  const r = await bpfscript(['-q', main]);
  const lines = r.stderr.split('\n');
  t.is(lines.slice(0, 3).join('\n'),
    `${main}:1:1-22: ERROR: hook tap "misbehave-taps" of plugin "misbehave" of package "bt-misbehave" failed in the attached hook: TypeError: Cannot set properties of undefined (setting 'count')\n` +
    'import "bt-misbehave";\n' +
    '~~~~~~~~~~~~~~~~~~~~~', r.stderr);
  t.regex(lines[3]!, /^HINT: at .*\/node_modules\/bt-misbehave\/plugin\.js:70:\d+\)?$/);
  t.is(r.code, 1);

  // A promise a tap returns, rejected.
  const atExit = project('import "bt-misbehave";\nbegin { printf("bye\\n"); exit(7); }\n', 'bt-misbehave');
  const e = await bpfscript(['-q', atExit]);
  t.true(e.stderr.startsWith(`${atExit}:1:1-22: ERROR: hook tap "misbehave-taps" of plugin "misbehave" of package "bt-misbehave" failed in the exit hook: cannot report exit code 7\nimport "bt-misbehave";\n`), e.stderr);
  t.is(e.stdout, 'bye\n\n\n');
  t.is(e.code, 1);
});

test('a package builtin taking a built-in name without saying so is refused', async (t) => {
  const main = project('import "bt-replace";\nbegin { print(pid); }\n', 'bt-replace');
  const r = await bpfscript([main]);
  t.is(r.stderr,
    `${main}:1:1-20: ERROR: builtin "pid" of plugin "replace" of package "bt-replace" would replace the builtin of bpfscript's plugin "builtins"\n` +
    'import "bt-replace";\n~~~~~~~~~~~~~~~~~~~\n' +
    'HINT: set `override: true` on the builtin to replace it on purpose\n');
  t.is(r.code, 1);
});

test('a package builtin with override: true replaces the built-in one, with a warning', async (t) => {
  const main = project('import "bt-replace-ok";\nbegin { print(pid); exit(); }\n', 'bt-replace-ok');
  const r = await bpfscript(['-q', main]);
  t.is(r.stderr,
    `${main}:1:1-23: WARNING: builtin "pid" of plugin "replace-ok" of package "bt-replace-ok" overrides the builtin of bpfscript's plugin "builtins"\n` +
    'import "bt-replace-ok";\n~~~~~~~~~~~~~~~~~~~~~~\n');
  t.is(r.stdout, '42\n\n\n');
  t.is(r.code, 0);
});

test('a package macro taking a standard-library macro or a builtin name is warned about, with both places', async (t) => {
  const main = project('import "bt-shadow";\nbegin { print((is_err(-1), count())); exit(); }\n', 'bt-shadow');
  const r = await bpfscript(['-q', main]);
  const pkg = join(main, '..', 'node_modules/bt-shadow/shadow.bt');
  t.is(r.stderr,
    `${pkg}:3:1-13: WARNING: macro is_err of package "bt-shadow" overrides the standard library's macro is_err for the script's calls\n` +
    'macro is_err(ptr) { ptr < 0 }\n~~~~~~~~~~~~\n' +
    'stdlib/base.bt:20:1-13: HINT: the standard library\'s macro is_err is here\n' +
    'macro is_err(ptr) {\n~~~~~~~~~~~~\n' +
    `${pkg}:7:1-12: WARNING: macro count of package "bt-shadow" overrides the builtin count(): the script's calls of count expand the macro\n` +
    'macro count() { 7 }\n~~~~~~~~~~~\n');
  t.is(r.stdout, '(true, 7)\n\n\n');
});
