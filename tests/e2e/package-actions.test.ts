// End to end: a package's builtins own both halves. A script importing the
// package sends events of the package's own action kind, printed by the
// package's handler, and prints values tagged with its own render tag (text
// and JSON alike).
import test from 'ava';
import { cpSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, repoRoot } from '../helpers/run.ts';

function packageDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-events-')));
  cpSync(join(repoRoot, 'tests/fixtures/packages/bt-event'), join(dir, 'node_modules/bt-event'), { recursive: true });
  return dir;
}

test('my_event(): the package\'s own event kind is printed by its handler; loud(): its own renderer shows the value', async (t) => {
  const dir = packageDir();
  writeFileSync(join(dir, 'main.bt'), 'import "bt-event";\nbegin { my_event(7); my_event(6 * 7); print(loud(5)); @[loud(2)] = count(); exit(); }\n');
  const text = await bpfscript(['-q', join(dir, 'main.bt')]);
  t.is(text.stderr, '');
  t.is(text.stdout, 'my_event #1: 7\nmy_event #2: 42\n5!!!\nmy_event: 2 seen\n\n\n@[2!!!]: 1\n');
  t.is(text.code, 0);
  const json = await bpfscript(['-q', '-f', 'json', join(dir, 'main.bt')]);
  t.is(json.stdout, 'my_event #1: 7\nmy_event #2: 42\n{"type": "value", "data": "5!!!"}\nmy_event: 2 seen\n{"type": "map", "data": {"@": {"2!!!": 1}}}\n');
});
