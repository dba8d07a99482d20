// docs/stdlib.md is generated (`npm run docs`) from the doc comments of
// stdlib/*.bt and the `doc` of every builtin the built-in plugins bind: it
// must be current, and every function must be documented.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/run.ts';
import { execFileSync } from 'node:child_process';
import { builtinReference } from '../../cli/reference.ts';
import { createBpfscript } from '../../cli/plugins.ts';
import { Services } from '../../sdk/index.ts';
import { referenceMarkdown } from '../../stdlib/index.ts';

test('every builtin and standard-library function is documented, once', async (t) => {
  const reference = await builtinReference();
  t.deepEqual(reference.problems, [], 'fix these doc comments / Builtin.doc strings');
});

test('every builtin of the built-in plugins has an entry with a variant naming it', async (t) => {
  const reference = await builtinReference();
  for (const b of (await createBpfscript()).getAll(Services.Builtin)) {
    const entry = reference.entries.find((e) => e.name === b.name);
    t.truthy(entry, `${b.name} has no entry`);
    t.true(entry!.variants.some((v) => v.includes(`${b.name}(`)), `${b.name} has no :variant naming it`);
  }
});

test('docs/stdlib.md is current (run `npm run docs` after changing a doc comment or a builtin doc)', async (t) => {
  const text = referenceMarkdown(await builtinReference());
  t.is(readFileSync(join(repoRoot, 'docs', 'stdlib.md'), 'utf8'), text);
});

test('npm run docs -- --check: the generator runs on its own and finds the page current', (t) => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts', 'stdlib-docs.ts'), '--check'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  t.is(out, '');
});
