// End to end: bpfscript as an npm package. `npm pack` makes the tarball
// (declarations emitted by `npm run build:types`, the bundle by `npm run
// build`, which the suite has run), `npm install -g --prefix` turns it into a
// working `bpfscript` command that needs no tsx. A third-party TypeScript
// plugin (tests/fixtures/packages/bt-answer) type-checks against the installed
// `bpfscript/sdk` types alone, passes its own tests written with
// `bpfscript/testing` under node:test, is packed and installed into a
// project, and the installed command runs and lists a script importing it.
// All in one test: each step needs the one before.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/run.ts';

const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

function run(command: string, args: string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('npm pack, install -g, a TypeScript plugin typed by bpfscript/sdk and tested by bpfscript/testing', async (t) => {
  // Minutes on a loaded machine: declarations, two installs, tsc over them.
  t.timeout(300_000);
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-npm-')));
  const started = Date.now();
  const step = (what: string) => t.log(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);

  npm(['run', 'build:types'], repoRoot);
  step('declarations');
  const packed = npm(['pack', '--ignore-scripts', '--pack-destination', tmp], repoRoot).trim().split('\n').pop()!;
  const tarball = join(tmp, packed);
  step('pack');

  // Cached dependencies install offline; others come from the registry.
  const prefix = join(tmp, 'global');
  npm(['install', '-g', '--prefix', prefix, '--prefer-offline', tarball], tmp);
  step('install -g');
  const installed = join(prefix, 'lib/node_modules/bpfscript');
  const bin = join(prefix, 'bin/bpfscript');
  t.false(existsSync(join(installed, 'node_modules/tsx')), 'tsx is not installed with bpfscript');
  t.false(existsSync(join(installed, 'core')), 'the TypeScript sources are not shipped');
  t.true(existsSync(join(installed, 'dist/types/sdk/index.d.ts')));
  t.true(readdirSync(join(installed, 'stdlib')).some((f) => f.endsWith('.bt')));
  const hello = run(bin, ['-q', '-e', 'begin { printf("%s %d\\n", "installed", 6 * 7); exit(); }'], tmp);
  t.is(hello.stderr, '');
  t.is(hello.stdout, 'installed 42\n\n\n');
  t.is(run(bin, ['-V'], tmp).stdout, 'bpfscript v0.1.0\n');

  // The plugin's author: bpfscript as a dev dependency, tsc, then its own tests.
  const author = join(tmp, 'bt-answer');
  cpSync(join(repoRoot, 'tests/fixtures/packages/bt-answer'), author, { recursive: true });
  mkdirSync(join(author, 'node_modules'));
  symlinkSync(installed, join(author, 'node_modules/bpfscript'));
  const embedded = run(process.execPath, ['--input-type=module', '-e', "const m = await import('bpfscript'); const s = await import('bpfscript/sdk'); console.log(typeof m.createBpfscript, typeof m.compileScript, m.sdkVersion === s.sdkVersion, typeof s.definePlugin)"], author);
  t.is(embedded.stdout, 'function function true function\n', embedded.stderr);
  const typed = run(process.execPath, [tsc, '-p', '.'], author);
  t.is(typed.stdout + typed.stderr, '', 'tsc passes with bpfscript/sdk imported alone');
  t.is(typed.code, 0);
  step('tsc');
  const own = run(process.execPath, ['test/plugin.test.mjs'], author);
  t.regex(own.stdout, /^# pass 7$/m, own.stdout + own.stderr);
  t.regex(own.stdout, /^# fail 0$/m);
  t.is(own.code, 0);
  step('the plugin\'s own tests');

  // A user's project installs the packed plugin; the installed command runs it.
  const pluginTarball = join(tmp, npm(['pack', '--ignore-scripts', '--pack-destination', tmp], author).trim().split('\n').pop()!);
  const project = join(tmp, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "project", "private": true }\n');
  npm(['install', '--prefer-offline', pluginTarball], project);
  step('plugin installed');
  const used = run(bin, ['-q', '-e', 'import "bt-answer";\nbegin { printf("%d %d\\n", answer, times_answer(2)); exit(); }'], project);
  t.is(used.stderr, '');
  t.is(used.stdout, '42 84\n\n\n');
  const listed = run(bin, ['-l', '-e', 'import "bt-answer";\nsyscall:openat, syscall:close { }'], project);
  t.is(listed.stderr, '');
  t.is(listed.stdout, 'tracepoint:syscalls:sys_enter_openat\ntracepoint:syscalls:sys_enter_close\n');
  step('done');
});
