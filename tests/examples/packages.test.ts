// The worked examples of examples/packages run their own tests, as their
// authors run them (`node --test test/`), against this checkout's bpfscript
// (the bundle `npm run build` made): each package is copied to a folder of
// its own with `node_modules/bpfscript` linked to the checkout, so
// `bpfscript/testing` resolves as it does for a package that installed it.
// The TypeScript plugin's dist/ is made here with esbuild (types are checked
// by tsc against the installed SDK in tests/e2e/npm-package.test.ts).
// As root, their end-to-end cases run on the kernel; none may be skipped.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { transformSync } from 'esbuild';
import { repoRoot } from '../helpers/run.ts';

const examples = join(repoRoot, 'examples/packages');

/** A copy of the example, with bpfscript "installed" (linked) and its TypeScript built. */
function authorFolder(name: string): { dir: string; remove(): void } {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-example-')));
  const dir = join(tmp, name);
  cpSync(join(examples, name), dir, { recursive: true, filter: (src) => !['node_modules', 'dist'].includes(basename(src)) });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules/bpfscript'));
  const source = join(dir, 'src/plugin.ts');
  try {
    const { code } = transformSync(readFileSync(source, 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/plugin.js'), code);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return { dir, remove: () => rmSync(tmp, { recursive: true, force: true }) };
}

const root = process.getuid?.() === 0;

for (const [name, cases] of [['bt-units', 7], ['bt-hash', 5], ['bt-syscalls', 10]] as const) {
  test.serial(`examples/packages/${name}: its own tests pass with bpfscript/testing`, (t) => {
    t.timeout(180_000);
    const { dir, remove } = authorFolder(name);
    t.teardown(remove);
    const r = spawnSync(process.execPath, ['--test', 'test/'], { cwd: dir, encoding: 'utf8', timeout: 170_000 });
    const report = r.stdout + r.stderr;
    t.regex(r.stdout, new RegExp(`^# pass ${root ? cases : '\\d+'}$`, 'm'), report);
    t.regex(r.stdout, /^# fail 0$/m, report);
    if (root) t.regex(r.stdout, /^# skipped 0$/m, report);
    t.is(r.status, 0, report);
  });
}
