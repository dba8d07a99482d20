// The name tables of stdlib/strings/ (strerror, signal_name, syscall_name) are
// generated: they must match what scripts/gen-string-tables.ts makes here.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/run.ts';
import { NAME_SIZE, TABLES } from '../../scripts/gen-string-tables.ts';

for (const [file, make] of TABLES) {
  test(`stdlib/strings/${file} is current (node --import tsx scripts/gen-string-tables.ts rewrites it)`, (t) => {
    t.is(readFileSync(join(repoRoot, 'stdlib/strings', file), 'utf8'), make());
  });
}

test('every name fits the string[64] the functions return', (t) => {
  for (const [file] of TABLES) {
    const text = readFileSync(join(repoRoot, 'stdlib/strings', file), 'utf8');
    for (const m of text.matchAll(/^ {2}\[\d+\] = (".*"),$/gm)) t.true(Buffer.byteLength(JSON.parse(m[1]!) as string) < NAME_SIZE, m[1]);
  }
});
