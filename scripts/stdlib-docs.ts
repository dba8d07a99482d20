// `npm run docs`: writes docs/stdlib.md from the doc comments of stdlib/*.bt
// and the builtins' `doc` strings. `--check` writes nothing and exits 1 when
// the page is stale. Either way, an undocumented function fails the run.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinReference } from '../cli/reference.ts';
import { referenceMarkdown } from '../stdlib/index.ts';

const page = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'stdlib.md');
const check = process.argv.includes('--check');

const reference = await builtinReference();
for (const p of reference.problems) process.stderr.write(`ERROR: ${p}\n`);
const text = referenceMarkdown(reference);
let current = '';
try {
  current = readFileSync(page, 'utf8');
} catch {
  // not written yet
}
if (check) {
  if (current !== text) process.stderr.write('ERROR: docs/stdlib.md is stale: run `npm run docs`\n');
  process.exitCode = reference.problems.length || current !== text ? 1 : 0;
} else {
  if (current !== text) writeFileSync(page, text);
  process.stdout.write(`docs/stdlib.md: ${reference.entries.length} entries${current === text ? ', unchanged' : ''}\n`);
  process.exitCode = reference.problems.length ? 1 : 0;
}
