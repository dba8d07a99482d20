// compileScript with C units and package plugins, several compiles in one
// container (as a long-lived host would): the C functions of one compile are
// gone in the next, a package plugin is loaded once, units are cache hits.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createBpfscript as createContainer } from '../../../../cli/plugins.ts';
import { compileScript } from '../../../../core/session/index.ts';
import { CompileError } from '../../../../core/diagnostics/index.ts';
import { Services } from '../../../../sdk/index.ts';
import { repoRoot } from '../../../helpers/run.ts';
import { clangTest, withTempCache } from './helpers.ts';

const ct = clangTest;
const root = withTempCache('bpfs-session-');
const strings = join(repoRoot, 'tests/scripts/interop/strings.bpf.c');

ct('a second compile of the same script is a cache hit for its C unit; the unit is linked, not inlined', async (t) => {
  const container = await createContainer();
  const text = `import "${strings}";\nbegin { print(__strstr("hello", 6, "l", 2)); exit(); }\n`;
  const first = await compileScript(container, { text, file: 'stdin' });
  t.is(first.cUnits.length, 1);
  t.false(first.cUnits[0]!.cached);
  t.deepEqual(first.linkObjects, [{ path: first.cUnits[0]!.objectPath, name: 'tests/scripts/interop/strings.bpf.c' }]);
  t.regex(first.c, /^extern __s32 __strstr\(__s8 \*, __s32, __s8 \*, __s32\) __attribute__\(\(visibility\("hidden"\)\)\);$/m);
  const second = await compileScript(container, { text, file: 'stdin' });
  t.true(second.cUnits[0]!.cached);
  t.is(second.cUnits[0]!.clangMs, 0);
});

ct('the C functions of one compile are unbound before the next', async (t) => {
  const container = await createContainer();
  await compileScript(container, { text: `import "${strings}";\nbegin { print(__strstr("a", 2, "a", 2)); }\n`, file: 'stdin' });
  t.is(container.getAll(Services.Builtin).filter((b) => b.name === '__strstr').length, 1);
  const e = await t.throwsAsync(compileScript(container, { text: 'begin { print(__strstr("a", 2, "a", 2)); }\n', file: 'stdin' }));
  t.true(e instanceof CompileError);
  t.is(e!.message, "Unknown function: '__strstr'");
  t.is(container.getAll(Services.Builtin).filter((b) => b.name === '__strstr').length, 0);
});

ct('a package plugin is loaded once per container, before the type pass sees its builtin', async (t) => {
  const dir = join(root, 'pkg');
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  cpSync(join(repoRoot, 'tests/fixtures/packages/bt-fixture'), join(dir, 'node_modules/bt-fixture'), { recursive: true });
  const file = join(dir, 'main.bt');
  const text = 'import "bt-fixture";\nbegin { print(answer() + twice(1)); exit(); }\n';
  writeFileSync(file, text);
  const container = await createContainer();
  const first = await compileScript(container, { text, file });
  t.regex(first.c, /42LL/);
  t.regex(first.c, /__fixture_twice\(/);
  await compileScript(container, { text, file });
  t.is(container.getAll(Services.Builtin).filter((b) => b.name === 'answer').length, 1);
});

ct('a plugin module that exports no plugin is a located error', async (t) => {
  const dir = join(root, 'badpkg');
  const pkg = join(dir, 'node_modules/bt-bad');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'bt-bad', type: 'module', bpfscript: { plugin: './plugin.js' } }));
  writeFileSync(join(pkg, 'plugin.js'), 'export default { hello: 1 };\n');
  const file = join(dir, 'main.bt');
  const e = await t.throwsAsync(compileScript(await createContainer(), { text: 'import "bt-bad";\nbegin { exit(); }\n', file }));
  t.true(e instanceof CompileError);
  const d = (e as CompileError).diagnostics[0]!;
  const shown = relative(process.cwd(), join(pkg, 'plugin.js'));
  t.is(d.message, `the plugin of package "bt-bad" (${shown}) must export default a plugin (definePlugin(name, register)) or a function (sdk) => plugin`);
  t.like(d.span, { line: 1, col: 1 });
});
