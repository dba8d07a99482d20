// The flame graph file: each map as last shown, written whole and renamed
// into place, a repeated failure said once.
import test from 'ava';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlameGraphFile } from '../../../../plugins/output/folded/index.ts';

function tempDir(t: import('ava').ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-flame-file-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const names = (svg: string) => [...svg.matchAll(/<g class="frame" data-name="([^"]*)"/g)].map((m) => m[1]);

test('each write holds every map as last shown, the maps\' names as roots when several fold', (t) => {
  const dir = tempDir(t);
  const file = new FlameGraphFile(join(dir, 'f.svg'), ['@a', '@b'], () => t.fail());
  file.show('@b', [{ frames: ['main', 'read'], value: 2 }]);
  file.write();
  // @a is not shown yet, but the graph already has the shape of two maps.
  let svg = readFileSync(join(dir, 'f.svg'), 'utf8');
  t.deepEqual(names(svg), ['all', '@b', 'main', 'read']);
  t.regex(svg, />Flame Graph: @b</);

  file.show('@a', [{ frames: ['main'], value: 1 }]);
  file.show('@b', [{ frames: ['main', 'write'], value: 3 }]);
  file.write();
  svg = readFileSync(join(dir, 'f.svg'), 'utf8');
  t.deepEqual(names(svg), ['all', '@a', 'main', '@b', 'main', 'write']);
  t.true(svg.includes('<title>all (4 samples, 100.00%)</title>'));
  t.regex(svg, />Flame Graph: @a, @b</);
  t.true(file.shown('@a'));
  t.deepEqual(readdirSync(dir), ['f.svg']);
});

test('one map: its stacks start at `all`', (t) => {
  const dir = tempDir(t);
  const file = new FlameGraphFile(join(dir, 'f.svg'), ['@'], () => t.fail());
  t.false(file.shown('@'));
  file.show('@', [{ frames: ['main'], value: 1 }]);
  t.deepEqual(names(file.svg()), ['all', 'main']);
});

test('a failed write is reported once while it repeats, again after a success, and leaves no temporary file', (t) => {
  const dir = tempDir(t);
  const warnings: string[] = [];
  const folder = join(dir, 'out');
  const path = join(folder, 'f.svg');
  const file = new FlameGraphFile(path, ['@'], (w) => warnings.push(w));
  file.show('@', [{ frames: ['main'], value: 1 }]);
  const failure = `ERROR: --flamegraph: cannot write ${path}: ENOENT\n`;
  file.write();
  file.write();
  t.deepEqual(warnings, [failure]);
  mkdirSync(folder);
  file.write();
  t.deepEqual(readdirSync(folder), ['f.svg']);
  rmSync(folder, { recursive: true });
  file.write();
  t.deepEqual(warnings, [failure, failure]);
  t.deepEqual(readdirSync(dir), []);
});
