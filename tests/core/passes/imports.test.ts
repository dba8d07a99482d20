// The imports pass and the whole front end (prepareProgram) on real files in
// temporary folders.
import test from 'ava';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from '../../../core/syntax/index.ts';
import type * as A from '../../../core/syntax/ast.ts';
import { prepareProgram, splitPackageName, type PrepareOptions, type PreparedProgram } from '../../../core/passes/imports/index.ts';
import { defaultConfig } from '../../../sdk/index.ts';
import { StandardLibrary } from '../../../stdlib/index.ts';
import { diagnostics, show } from './helpers.ts';

/** A fresh folder holding `files` (path -> text); returns its real path. */
function tree(files: Record<string, string>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-imports-')));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The front end on `dir/main`; file names print relative to `dir`. */
function prepare(dir: string, main: string, extra: Partial<PrepareOptions> = {}): PreparedProgram {
  const file = join(dir, main);
  return prepareProgram(parse(readFileSync(file, 'utf8'), file), { file, config: defaultConfig, cwd: dir, ...extra });
}

/** The diagnostics of the front end on `dir/main`, file names absolute, as the CLI prints them. */
function errorOf(dir: string, main: string): string {
  const file = join(dir, main);
  const sources = new Map([[file, readFileSync(file, 'utf8')]]);
  return diagnostics(() => prepareProgram(parse(sources.get(file)!, file), { file, config: defaultConfig, cwd: join(dir, 'elsewhere'), sources }), sources);
}

test('nested imports merge probes, macros and map declarations; each file once; dependencies first', (t) => {
  const dir = tree({
    'main.bt': 'import "a.bt";\nimport "b.bt";\nbegin { print(twice(one)); }\n',
    'a.bt': 'import "b.bt";\nmacro twice(x) { x * 2 }\nbegin { printf("a"); }\n',
    'b.bt': 'import "a.bt";\nlet @m = lruhash(2);\nmacro one() { 1 }\nbegin { printf("b"); }\n',
  });
  const p = prepare(dir, 'main.bt');
  t.is(show(p.program), 'let @m = lruhash(2)\nbegin { printf("b") }\nbegin { printf("a") }\nbegin { print((1 * 2)) }');
  t.deepEqual([...p.sources.keys()].sort(), ['a.bt', 'b.bt']);
});

test('imported nodes carry their own file name', (t) => {
  const dir = tree({ 'main.bt': 'import "lib/x.bt";\nbegin { }\n', 'lib/x.bt': '\nend { }\n' });
  const p = prepare(dir, 'main.bt');
  const probe = p.program.items[0] as A.Probe;
  t.like(probe.span, { file: 'lib/x.bt', line: 2 });
});

test('importing the root script back does not duplicate it', (t) => {
  const dir = tree({ 'main.bt': 'import "a.bt";\nbegin { }\n', 'a.bt': 'import "main.bt";\nend { }\n' });
  t.is(show(prepare(dir, 'main.bt').program), 'end { }\nbegin { }');
});

test('a directory import takes its supported files in name order, not its subfolders or other files', (t) => {
  const dir = tree({
    'main.bt': 'import "lib";\nbegin { print((one, two)); }\n',
    'lib/b.bt': 'macro two() { 2 }\n',
    'lib/a.bt': 'macro one() { 1 }\nbegin { printf("a"); }\n',
    'lib/helpers.bpf.c': 'int x;\n',
    'lib/types.h': 'struct t { int a; };\n',
    'lib/prebuilt.bpf.o': '',
    'lib/README.md': '# not bpftrace\n',
    'lib/nested/c.bt': 'begin { printf("nested"); }\n',
  });
  const p = prepare(dir, 'main.bt');
  t.is(show(p.program), 'begin { printf("a") }\nbegin { print((1, 2)) }');
  t.deepEqual(p.units.map((u) => [u.kind, u.name]), [['source', 'lib/helpers.bpf.c'], ['object', 'lib/prebuilt.bpf.o'], ['header', 'lib/types.h']]);
});

test('a C unit imported by path', (t) => {
  const dir = tree({ 'main.bt': 'import "x.bpf.c";\nimport "./x.bpf.c";\nbegin { }\n', 'x.bpf.c': 'int x;\n' });
  const p = prepare(dir, 'main.bt');
  t.deepEqual(p.units.map((u) => [u.kind, u.path, u.span?.line]), [['source', join(dir, 'x.bpf.c'), 1]]);
});

const pkg = {
  'node_modules/@acme/bt-net/package.json': JSON.stringify({
    name: '@acme/bt-net',
    version: '1.2.3',
    bpfscript: { stdlib: ['net.bt'], c: ['net.bpf.c', 'include/net.h'], plugin: './plugin.js' },
  }),
  'node_modules/@acme/bt-net/net.bt': 'macro port(p) { p & 0xffff }\n',
  'node_modules/@acme/bt-net/extra.bt': 'macro extra() { 7 }\n',
  'node_modules/@acme/bt-net/net.bpf.c': 'int net;\n',
  'node_modules/@acme/bt-net/include/net.h': 'struct net { int a; };\n',
  'node_modules/@acme/bt-net/plugin.js': 'export default {};\n',
};

test('an npm package: its .bt files merged, its C units and plugin collected, found from a subfolder', (t) => {
  const dir = tree({ ...pkg, 'scripts/main.bt': 'import "@acme/bt-net";\nimport "@acme/bt-net";\nbegin { print(port(65537)); }\n' });
  const p = prepare(join(dir, 'scripts'), 'main.bt', { cwd: dir });
  t.is(show(p.program), 'begin { print((65537 & 0xffff)) }');
  const at = join(dir, 'node_modules/@acme/bt-net');
  t.deepEqual(p.units.map((u) => [u.kind, u.path, u.package]), [['source', join(at, 'net.bpf.c'), '@acme/bt-net'], ['header', join(at, 'include/net.h'), '@acme/bt-net']]);
  t.deepEqual(p.plugins.map((x) => [x.package, x.path, x.span.line]), [['@acme/bt-net', join(at, 'plugin.js'), 1]]);
  t.deepEqual(p.packages.map((x) => [x.name, x.version]), [['@acme/bt-net', '1.2.3']]);
  t.deepEqual([...p.sources.keys()], ['node_modules/@acme/bt-net/net.bt']);
});

test('a file inside a package by subpath', (t) => {
  const dir = tree({ ...pkg, 'main.bt': 'import "@acme/bt-net/extra.bt";\nbegin { print(extra); }\n' });
  t.is(show(prepare(dir, 'main.bt').program), 'begin { print(7) }');
});

test('package names and file names', (t) => {
  t.deepEqual(splitPackageName('@acme/bt-net/x/y.bt'), { name: '@acme/bt-net', subpath: 'x/y.bt' });
  t.deepEqual(splitPackageName('lodash'), { name: 'lodash', subpath: '' });
  t.is(splitPackageName('missing.bt'), undefined);
  t.is(splitPackageName('./lib'), undefined);
});

test('the root config block is applied; environment variables win', (t) => {
  const dir = tree({ 'main.bt': 'config = { max_strlen = 32; print_maps_on_exit = false }\nbegin { }\n' });
  const p = prepare(dir, 'main.bt', { env: { BPFTRACE_MAX_STRLEN: '48' } });
  t.like(p.config, { maxStrlen: 48, printMapsOnExit: false });
  t.is(show(p.program), 'begin { }');
});

test('standard-library files load only when the program names their macros, through user macros and imports too', (t) => {
  const lib = tree({
    'stdlib/a.bt': 'macro a1() { a2() }\nmacro a2() { b1() }\n',
    'stdlib/b.bt': 'macro b1() { 11 }\n',
    'stdlib/c.bt': 'macro c1() { 3 }\n',
    'package.json': '{}',
  });
  const stdlib = new StandardLibrary(join(lib, 'stdlib'));
  const dir = tree({ 'main.bt': 'import "mine.bt";\nbegin { print(mine); }\n', 'mine.bt': 'macro mine() { a1 }\n' });
  const p = prepare(dir, 'main.bt', { stdlib });
  t.is(show(p.program), 'begin { print(11) }');
  t.deepEqual([...p.sources.keys()].sort(), ['mine.bt', 'stdlib/a.bt', 'stdlib/b.bt']);
  const none = prepare(tree({ 'main.bt': 'begin { print(1); }\n' }), 'main.bt', { stdlib });
  t.deepEqual([...none.sources.keys()], []);
});

test('only the macros a program names are parsed from a standard-library file, in as many rounds as their bodies need', (t) => {
  const lib = tree({
    // `broken` does not parse: reading the whole file would fail.
    'stdlib/a.bt': '// The a file.\nmacro a1() { a3() }\n\nmacro broken() { 1 + }\n// a3: one more.\nmacro a3() { 30 }\nmacro a3(x) { x }\n',
    'package.json': '{}',
  });
  const stdlib = new StandardLibrary(join(lib, 'stdlib'));
  const p = prepare(tree({ 'main.bt': 'begin { print(a1); print(a3(4)); }\n' }), 'main.bt', { stdlib });
  t.is(show(p.program), 'begin { print(30); print(4) }');
  t.deepEqual([...p.sources.keys()], ['stdlib/a.bt']);
  const dir = tree({ 'main.bt': 'begin { print(broken); }\n' });
  t.regex(diagnostics(() => prepare(dir, 'main.bt', { stdlib }), new Map()), /^stdlib\/a\.bt:4:22-23: ERROR: syntax error, unexpected }/);
});

test('a standard-library file the macro scan cuts wrong is read whole (a definition it does not see, a `macro` line in a comment)', (t) => {
  const lib = tree({ 'stdlib/a.bt': 'macro also() { 1 }\n/* why */ macro inline() { 7 }\n', 'package.json': '{}' });
  const stdlib = new StandardLibrary(join(lib, 'stdlib'));
  const p = prepare(tree({ 'main.bt': 'begin { print(also + inline); }\n' }), 'main.bt', { stdlib });
  t.is(show(p.program), 'begin { print((1 + 7)) }');
  const commented = tree({ 'stdlib/b.bt': 'macro a() { 1 }\n/*\nmacro b() { 2 }\n*/\nmacro c() { 3 }\n', 'package.json': '{}' });
  const q = prepare(tree({ 'main.bt': 'begin { print(a + c); }\n' }), 'main.bt', { stdlib: new StandardLibrary(join(commented, 'stdlib')) });
  t.is(show(q.program), 'begin { print((1 + 3)) }');
});

test('import "stdlib/..." names the installed standard library; its statement imports resolve there too', (t) => {
  const lib = tree({
    'stdlib/x.bt': 'macro x() { import "stdlib/x/x.bpf.c"; 5 }\n',
    'stdlib/x/x.bpf.c': 'int x;\n',
    'package.json': '{}',
  });
  const stdlib = new StandardLibrary(join(lib, 'stdlib'));
  const dir = tree({ 'main.bt': 'import "stdlib/x.bt";\nbegin { print(x); }\n' });
  const p = prepare(dir, 'main.bt', { stdlib });
  t.is(show(p.program), 'begin { print(5) }');
  t.deepEqual(p.units.map((u) => [u.name, u.path]), [['stdlib/x/x.bpf.c', join(lib, 'stdlib/x/x.bpf.c')]]);
});

test('a statement import in a user macro resolves from the macro\'s file', (t) => {
  const dir = tree({ 'main.bt': 'import "lib/m.bt";\nbegin { print(m); }\n', 'lib/m.bt': 'macro m() { import "m.bpf.c"; 1 }\n', 'lib/m.bpf.c': 'int m;\n' });
  t.deepEqual(prepare(dir, 'main.bt').units.map((u) => u.name), ['lib/m.bpf.c']);
});

test('the file texts go to the sources sink even when the compile fails', (t) => {
  const dir = tree({ 'main.bt': 'import "a.bt";\nbegin { }\n', 'a.bt': 'begin { @x = 1 +; }\n' });
  const sources = new Map<string, string>();
  t.throws(() => prepare(dir, 'main.bt', { sources }));
  t.deepEqual([...sources.keys()], ['a.bt']);
});

test('error: an import that is not there (a file, a package)', (t) => {
  const cases: [string, (dir: string) => string][] = [
    ['missing.bt', (dir) => join(dir, 'missing.bt')],
    ['@acme/absent', (dir) => `${join(dir, '@acme/absent')}, package @acme/absent (node_modules folders from ${dir} up)`],
  ];
  for (const [spec, checked] of cases) {
    const line = `import "${spec}";`;
    const dir = tree({ 'main.bt': `${line}\nbegin { }\n` });
    t.is(errorOf(dir, 'main.bt'),
      `${join(dir, 'main.bt')}:1:1-${line.length}: ERROR: Unable to find suitable path for import\n` +
        `${line}\n${'~'.repeat(line.length - 1)}\n` +
        `HINT: checked: ${checked(dir)}\n`);
  }
});

test('error: a world-writable folder', (t) => {
  const dir = tree({ 'main.bt': 'import "lib";\nimport "ok/x.bt";\nbegin { }\n', 'lib/a.bt': '', 'ok/x.bt': '' });
  chmodSync(join(dir, 'lib'), 0o777);
  const file = join(dir, 'main.bt');
  t.is(errorOf(dir, 'main.bt'),
    `${file}:1:1-13: ERROR: cowardly refusing to import from a directory with global write permissions: "${join(dir, 'lib')}"\n` +
      'import "lib";\n' +
      '~~~~~~~~~~~~\n');
});

test('error: a file in a world-writable folder, and in a folder below one (every folder up to / is checked); a sticky one (like /tmp) is fine', (t) => {
  const dir = tree({ 'main.bt': 'import "open/x.bt";\nbegin { }\n', 'open/x.bt': '', 'open/sub/y.bt': 'end { }\n', 'main2.bt': 'import "open/sub/y.bt";\nbegin { }\n' });
  chmodSync(join(dir, 'open'), 0o777);
  t.regex(errorOf(dir, 'main.bt'), /^.*main\.bt:1:1-19: ERROR: cowardly refusing to import from a directory with global write permissions: ".*\/open\/x\.bt"\n/);
  t.is(errorOf(dir, 'main2.bt').split('\n').at(-2), `HINT: ${join(dir, 'open')} is writable by every user`);
  chmodSync(join(dir, 'open'), 0o1777);
  t.is(show(prepare(dir, 'main2.bt').program), 'end { }\nbegin { }');
});

// A uid that owns nothing on this machine: "another user" for the trust rule.
const stranger = 4242;

test('error: a link in a safe folder into a world-writable one is followed to its real path and refused; so is a link placed in an open folder', (t) => {
  const dir = tree({ 'main.bt': 'import "safe/x.bt";\nbegin { }\n', 'main2.bt': 'import "open/y.bt";\nbegin { }\n', 'open/x.bt': 'end { }\n', 'safe/y.bt': 'end { }\n' });
  chmodSync(join(dir, 'open'), 0o777);
  symlinkSync(join(dir, 'open/x.bt'), join(dir, 'safe/x.bt'));
  t.is(errorOf(dir, 'main.bt').split('\n')[0], `${join(dir, 'main.bt')}:1:1-19: ERROR: cowardly refusing to import from a directory with global write permissions: "${join(dir, 'safe/x.bt')}"`);
  t.regex(errorOf(dir, 'main.bt'), new RegExp(`HINT: ${join(dir, 'open')} is writable by every user\n$`));
  symlinkSync(join(dir, 'safe/y.bt'), join(dir, 'open/y.bt'));
  t.regex(errorOf(dir, 'main2.bt'), /ERROR: cowardly refusing to import from a directory with global write permissions: ".*\/open\/y\.bt"/);
});

test('error: a 0755 folder of another user inside a world-writable one; a file of another user; a group-writable folder', (t) => {
  const dir = tree({ 'main.bt': 'import "open/theirs/x.bt";\nbegin { }\n', 'open/theirs/x.bt': 'end { }\n' });
  chmodSync(join(dir, 'open'), 0o777);
  chownSync(join(dir, 'open/theirs'), stranger, stranger);
  t.is(errorOf(dir, 'main.bt').split('\n')[0],
    `${join(dir, 'main.bt')}:1:1-26: ERROR: cowardly refusing to import "${join(dir, 'open/theirs/x.bt')}": ${join(dir, 'open/theirs')} is owned by uid ${stranger}, not by root or you`);
  chmodSync(join(dir, 'open'), 0o755);
  chownSync(join(dir, 'open/theirs'), 0, 0);
  chownSync(join(dir, 'open/theirs/x.bt'), stranger, stranger);
  t.is(errorOf(dir, 'main.bt').split('\n')[0],
    `${join(dir, 'main.bt')}:1:1-26: ERROR: cowardly refusing to import "${join(dir, 'open/theirs/x.bt')}": the file is owned by uid ${stranger}, not by root or you`);
  chownSync(join(dir, 'open/theirs/x.bt'), 0, 0);
  chmodSync(join(dir, 'open'), 0o775);
  t.is(errorOf(dir, 'main.bt').split('\n')[0],
    `${join(dir, 'main.bt')}:1:1-26: ERROR: cowardly refusing to import "${join(dir, 'open/theirs/x.bt')}": ${join(dir, 'open')} is writable by its group`);
  chmodSync(join(dir, 'open'), 0o755);
  t.is(show(prepare(dir, 'main.bt').program), 'end { }\nbegin { }');
});

test('import "../x.bt" outside the script\'s folder is allowed, under the same rule', (t) => {
  const dir = tree({ 'scripts/main.bt': 'import "../lib/x.bt";\nbegin { }\n', 'lib/x.bt': 'end { }\n' });
  t.is(show(prepare(join(dir, 'scripts'), 'main.bt').program), 'end { }\nbegin { }');
  chmodSync(join(dir, 'lib'), 0o777);
  t.regex(errorOf(join(dir, 'scripts'), 'main.bt'), /ERROR: cowardly refusing to import from a directory with global write permissions: ".*\/lib\/x\.bt"/);
});

test('error: a package found by the upward node_modules lookup in a folder of another user is refused before its manifest is read; so is a plugin file of another user', (t) => {
  const dir = tree({
    ...pkg,
    'open/scripts/main.bt': 'import "@acme/bt-net";\nbegin { }\n',
    'open/node_modules/@acme/bt-net/package.json': pkg['node_modules/@acme/bt-net/package.json'],
    'open/node_modules/@acme/bt-net/net.bt': '', 'open/node_modules/@acme/bt-net/net.bpf.c': '', 'open/node_modules/@acme/bt-net/include/net.h': '',
    'open/node_modules/@acme/bt-net/plugin.js': 'export default {};\n',
  });
  chmodSync(join(dir, 'open'), 0o777);
  chownSync(join(dir, 'open/node_modules'), stranger, stranger);
  const at = join(dir, 'open/node_modules/@acme/bt-net');
  t.is(errorOf(join(dir, 'open/scripts'), 'main.bt').split('\n')[0],
    `${join(dir, 'open/scripts/main.bt')}:1:1-22: ERROR: cowardly refusing to import "${at}": ${join(dir, 'open/node_modules')} is owned by uid ${stranger}, not by root or you`);
  chownSync(join(dir, 'node_modules/@acme/bt-net/plugin.js'), stranger, stranger);
  writeFileSync(join(dir, 'main.bt'), 'import "@acme/bt-net";\nbegin { }\n');
  t.is(errorOf(dir, 'main.bt').split('\n')[0],
    `${join(dir, 'main.bt')}:1:1-22: ERROR: cowardly refusing to import "${join(dir, 'node_modules/@acme/bt-net/plugin.js')}": the file is owned by uid ${stranger}, not by root or you`);
});

test('error: config in an imported file, shown with the imported file\'s line', (t) => {
  const dir = tree({ 'main.bt': 'import "lib.bt";\nbegin { }\n', 'lib.bt': '\nconfig = { max_strlen = 8 }\n' });
  t.is(errorOf(dir, 'main.bt'),
    `${join(dir, 'lib.bt')}:2:1-28: ERROR: invalid \`config\` within import\n` +
      'config = { max_strlen = 8 }\n' +
      '~~~~~~~~~~~~~~~~~~~~~~~~~~~\n');
});

test('error: an unknown file type', (t) => {
  const dir = tree({ 'main.bt': 'import "notes.txt";\nbegin { }\n', 'notes.txt': '' });
  t.is(errorOf(dir, 'main.bt'),
    `${join(dir, 'main.bt')}:1:1-19: ERROR: unknown import type: "notes.txt"\n` +
      'import "notes.txt";\n' +
      '~~~~~~~~~~~~~~~~~~\n');
});

test('error: a syntax error in an imported file points into that file', (t) => {
  const dir = tree({ 'main.bt': 'import "a.bt";\nbegin { }\n', 'a.bt': 'begin { @x = 1 +; }\n' });
  t.is(errorOf(dir, 'main.bt'),
    `${join(dir, 'a.bt')}:1:17-18: ERROR: syntax error, unexpected ;\n` +
      'begin { @x = 1 +; }\n' +
      '                ~\n');
});

test('error: a .bt file imported inside a macro', (t) => {
  const dir = tree({ 'main.bt': 'macro m() { import "x.bt"; 1 }\nbegin { print(m); }\n', 'x.bt': '' });
  t.is(errorOf(dir, 'main.bt'),
    `${join(dir, 'main.bt')}:1:13-26: ERROR: Import statements that are not at the root are limited to specific object (.o), header (.h), or C source (.c or bpf.c) files\n` +
      'macro m() { import "x.bt"; 1 }\n' +
      '            ~~~~~~~~~~~~~\n');
});

test('error: package problems are reported at the import', (t) => {
  const cases: [Record<string, string>, string][] = [
    [{ 'node_modules/plain/package.json': '{"name":"plain"}' }, 'cannot import package "plain": it is not a bpfscript package: its package.json has no "bpfscript" field'],
    [{ 'node_modules/plain/package.json': '{"name":"plain","bpfscript":{"stdlib":"x.bt"}}' }, 'cannot import package "plain": "bpfscript.stdlib" must be an array of paths'],
    [{ 'node_modules/plain/package.json': '{"name":"plain","bpfscript":{"stdlib":["gone.bt"]}}' }, 'cannot import package "plain": "bpfscript.stdlib" names gone.bt, which does not exist'],
    [{ 'node_modules/plain/package.json': '{"name":"plain","bpfscript":{"c":["../../x.bpf.c"]}}', 'x.bpf.c': '' }, 'cannot import package "plain": "bpfscript.c" path ../../x.bpf.c is outside the package'],
    [{ 'node_modules/plain/package.json': '{"name":"plain","bpfscript":{"plugins":"./p.js"}}' }, 'cannot import package "plain": unknown key "bpfscript.plugins" (expected stdlib, c, plugin)'],
  ];
  for (const [files, message] of cases) {
    const dir = tree({ ...files, 'main.bt': 'import "plain";\nbegin { }\n' });
    t.is(errorOf(dir, 'main.bt'), `${join(dir, 'main.bt')}:1:1-15: ERROR: ${message}\nimport "plain";\n~~~~~~~~~~~~~~\n`);
  }
});
