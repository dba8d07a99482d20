// End to end: a package's plugin taps the session's hooks as soon as a script
// imports the package. Its `event` tap claims records (returns true): their
// action does not run.
import test from 'ava';
import { cpSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, repoRoot } from '../helpers/run.ts';

test('an event tap that returns true suppresses the action: the claimed printf prints nothing, the others print', async (t) => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-hooks-')));
  cpSync(join(repoRoot, 'tests/fixtures/packages/bt-quiet'), join(dir, 'node_modules/bt-quiet'), { recursive: true });
  const script = 'begin { printf("one\\n"); printf("(quiet) two\\n"); printf("three\\n"); exit(); }\n';
  writeFileSync(join(dir, 'main.bt'), `import "bt-quiet";\n${script}`);
  writeFileSync(join(dir, 'plain.bt'), script);
  const r = await bpfscript(['-q', join(dir, 'main.bt')]);
  t.is(r.stderr, '');
  t.is(r.stdout, 'one\nthree\n\n\n');
  t.is(r.code, 0);
  const plain = await bpfscript(['-q', join(dir, 'plain.bt')]);
  t.is(plain.stdout, 'one\n(quiet) two\nthree\n\n\n');
});
