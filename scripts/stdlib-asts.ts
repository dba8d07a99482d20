// Writes the standard library's macros parsed (core/passes/imports/library-asts.ts)
// into the folder given, one table per `stdlib/*.bt`, and prints each
// table's sha256 by file name as JSON: scripts/bundle.mjs runs it with the
// sources it bundles and defines the hashes in the CLI bundle.
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StandardLibrary } from '../stdlib/index.ts';
import { buildTable, encodeTable, tableFileName } from '../core/passes/imports/library-asts.ts';

const out = process.argv[2];
if (!out) throw new Error('usage: stdlib-asts.ts OUTPUT_FOLDER');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const stdlib = new StandardLibrary();
const hashes: Record<string, string> = {};
for (const file of stdlib.files()) {
  const table = buildTable(stdlib.read(file).text, file);
  if (!table) continue;
  const json = encodeTable(table);
  writeFileSync(join(out, tableFileName(file)), json);
  hashes[file] = createHash('sha256').update(json).digest('hex');
}
process.stdout.write(JSON.stringify(hashes));
