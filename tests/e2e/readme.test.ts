// The README's quick-start one-liner must keep working as written.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bpfscript, repoRoot } from '../helpers/run.ts';

test('the README one-liner runs and prints its maps', async (t) => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.startsWith('bin/setup && bin/bpfscript -e '));
  if (!line) return t.fail('README has no `bin/setup && bin/bpfscript -e ...` line');
  const program = /-e '(.*)'$/.exec(line)?.[1];
  if (!program) return t.fail(`cannot read the program from: ${line}`);
  const r = await bpfscript(['-e', program]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^hello\n/);
  t.regex(r.stdout, /\n@\[[^\]]+\]: \d+\n/);
});
