// End to end: bpfscript as an npm package. `npm pack` makes the tarball
// (declarations emitted by `npm run build:types`, the bundle by `npm run
// build`, which the suite has run), `npm install -g --prefix` turns it into a
// working `bpfscript` command that needs no tsx. A third-party TypeScript
// plugin (tests/fixtures/packages/bt-answer) type-checks against the installed
// `bpfscript/sdk` types alone, passes its own tests written with
// `bpfscript/testing` under node:test, is packed and installed into a
// project, and the installed command runs and lists a script importing it.
// The worked examples (examples/packages) are published the same way: the
// TypeScript one (bt-syscalls) type-checks against the installed SDK alone,
// and a fresh project that installs the packed bpfscript and the three packed
// examples runs a script importing them with its own node_modules/.bin/bpfscript.
// All in one test: each step needs the one before.
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/run.ts';

const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

// Asynchronous, so that the worker keeps talking to ava (its t.timeout reaches
// ava only while the event loop turns) during the minutes this takes.
const execFileAsync = promisify(execFile);

async function npm(args: string[], cwd: string): Promise<string> {
  return (await execFileAsync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', timeout: 120_000 })).stdout;
}

/** `timeoutMs`: tsc over the installed declarations takes minutes on a loaded machine. */
async function run(command: string, args: string[], cwd: string, timeoutMs = 60_000) {
  try {
    const r = await execFileAsync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const r = e as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof r.code === 'number' ? r.code : null, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }
}

test('npm pack, install -g, a TypeScript plugin typed by bpfscript/sdk and tested by bpfscript/testing', async (t) => {
  // Minutes on a loaded machine: declarations, two installs, tsc over them.
  t.timeout(420_000);
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-npm-')));
  const started = Date.now();
  const step = (what: string) => t.log(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);

  await npm(['run', 'build:types'], repoRoot);
  step('declarations');
  const packed = (await npm(['pack', '--ignore-scripts', '--pack-destination', tmp], repoRoot)).trim().split('\n').pop()!;
  const tarball = join(tmp, packed);
  step('pack');

  // Cached dependencies install offline; others come from the registry.
  const prefix = join(tmp, 'global');
  await npm(['install', '-g', '--prefix', prefix, '--prefer-offline', tarball], tmp);
  step('install -g');
  const installed = join(prefix, 'lib/node_modules/bpfscript');
  const bin = join(prefix, 'bin/bpfscript');
  t.false(existsSync(join(installed, 'node_modules/tsx')), 'tsx is not installed with bpfscript');
  t.false(existsSync(join(installed, 'core')), 'the TypeScript sources are not shipped');
  t.true(existsSync(join(installed, 'dist/types/sdk/index.d.ts')));
  t.true(readdirSync(join(installed, 'stdlib')).some((f) => f.endsWith('.bt')));
  const hello = await run(bin, ['-q', '-e', 'begin { printf("%s %d\\n", "installed", 6 * 7); exit(); }'], tmp);
  t.is(hello.stderr, '');
  t.is(hello.stdout, 'installed 42\n\n\n');
  t.is((await run(bin, ['-V'], tmp)).stdout, 'bpfscript v0.1.0\n');

  // The plugin's author: bpfscript as a dev dependency, tsc, then its own tests.
  const author = join(tmp, 'bt-answer');
  cpSync(join(repoRoot, 'tests/fixtures/packages/bt-answer'), author, { recursive: true });
  mkdirSync(join(author, 'node_modules'));
  symlinkSync(installed, join(author, 'node_modules/bpfscript'));
  const embedded = await run(process.execPath, ['--input-type=module', '-e', "const m = await import('bpfscript'); const s = await import('bpfscript/sdk'); console.log(typeof m.createBpfscript, typeof m.compileScript, m.sdkVersion === s.sdkVersion, typeof s.definePlugin)"], author);
  t.is(embedded.stdout, 'function function true function\n', embedded.stderr);
  // The worked example plugin's author does the same; both tsc runs at once (one core each).
  const example = join(tmp, 'bt-syscalls');
  cpSync(join(repoRoot, 'examples/packages/bt-syscalls'), example, { recursive: true, filter: (src) => !/\/(node_modules|dist)$/.test(src) });
  mkdirSync(join(example, 'node_modules'));
  symlinkSync(installed, join(example, 'node_modules/bpfscript'));
  const exampleTyping = run(process.execPath, [tsc, '-p', '.'], example, 240_000);
  const typed = await run(process.execPath, [tsc, '-p', '.'], author, 240_000);
  t.is(typed.stdout + typed.stderr, '', 'tsc passes with bpfscript/sdk imported alone');
  t.is(typed.code, 0);
  step('tsc');
  const own = await run(process.execPath, ['test/plugin.test.mjs'], author);
  t.regex(own.stdout, /^# pass 7$/m, own.stdout + own.stderr);
  t.regex(own.stdout, /^# fail 0$/m);
  t.is(own.code, 0);
  step('the plugin\'s own tests');

  const exampleTyped = await exampleTyping;
  t.is(exampleTyped.stdout + exampleTyped.stderr, '', 'the example plugin type-checks with bpfscript/sdk imported alone');
  t.is(exampleTyped.code, 0);
  step('tsc of examples/packages/bt-syscalls');

  // A user's project installs the packed plugins, the packed examples and bpfscript itself.
  const pack = async (dir: string) => join(tmp, (await npm(['pack', '--ignore-scripts', '--pack-destination', tmp], dir)).trim().split('\n').pop()!);
  const pluginTarball = await pack(author);
  const exampleTarballs = await Promise.all([example, join(repoRoot, 'examples/packages/bt-units'), join(repoRoot, 'examples/packages/bt-hash')].map(pack));
  const project = join(tmp, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "project", "private": true }\n');
  await npm(['install', '--offline', tarball, pluginTarball, ...exampleTarballs], project);
  step('bpfscript, plugin and examples installed');
  const used = await run(bin, ['-q', '-e', 'import "bt-answer";\nbegin { printf("%d %d\\n", answer, times_answer(2)); exit(); }'], project);
  t.is(used.stderr, '');
  t.is(used.stdout, '42 84\n\n\n');
  const listed = await run(bin, ['-l', '-e', 'import "bt-answer";\nsyscall:openat, syscall:close { }'], project);
  t.is(listed.stderr, '');
  t.is(listed.stdout, 'tracepoint:syscalls:sys_enter_openat\ntracepoint:syscalls:sys_enter_close\n');

  // The project's own bpfscript (npm install, not -g) runs the examples.
  const local = join(project, 'node_modules/.bin/bpfscript');
  t.false(existsSync(join(project, 'node_modules/tsx')), 'tsx is not installed with bpfscript');
  const examples = await run(local, ['-q', '-e', 'import "bt-syscalls";\nimport "bt-units";\nimport "bt-hash";\nbegin { printf("%s %d %lu\\n", errname(-2), kib(2048), fnv1a("hello")); exit(); }'], project);
  t.is(examples.stderr, '');
  t.is(examples.stdout, 'ENOENT 2 11831194018420276491\n\n\n');
  const exampleProbes = await run(local, ['-l', '-e', 'import "bt-syscalls";\nsyscall:openat, syscall:openat:return { }'], project);
  t.is(exampleProbes.stderr, '');
  t.is(exampleProbes.stdout, 'tracepoint:syscalls:sys_enter_openat\ntracepoint:syscalls:sys_exit_openat\n');
  step('done');
});
