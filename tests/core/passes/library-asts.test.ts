// The standard library's macros parsed at build time (core/passes/imports/library-asts.ts):
// a table gives exactly the parse it stands for, and is used only when it is
// the expected one and was made from the library file's present text.
import test from 'ava';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../../core/syntax/index.ts';
import { buildTable, decodeTable, encodeTable, libraryMacrosFromTable, programFromTable, tableFileName } from '../../../core/passes/imports/library-asts.ts';
import { StandardLibrary, scanMacroNames, textOfMacros } from '../../../stdlib/index.ts';
import { repoRoot } from '../../helpers/run.ts';

const stdlib = new StandardLibrary();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

test('a table, through its JSON, gives the parse of any set of a file\'s macros', (t) => {
  for (const file of stdlib.files()) {
    const { text } = stdlib.read(file);
    const table = decodeTable(encodeTable(buildTable(text, file)!));
    const names = [...new Set(scanMacroNames(text))];
    const sets = [...names.map((n) => [n]), names.filter((_, i) => i % 2 === 0), names.slice(-3), names];
    for (const set of sets) {
      const wanted = new Set(set);
      t.deepEqual(programFromTable(table, wanted), parse(textOfMacros(text, wanted)!, file), `${file}: ${set.join(', ')}`);
    }
    t.is(programFromTable(table, new Set([names[0]!, 'not_a_macro_here'])), undefined, file);
  }
});

test('integer literals keep their bigint values through the table', (t) => {
  const text = 'macro big() { 18446744073709551615 }\n';
  const program = programFromTable(decodeTable(encodeTable(buildTable(text, 'stdlib/x.bt')!)), new Set(['big']))!;
  t.deepEqual(program, parse(text, 'stdlib/x.bt'));
  t.is(JSON.stringify(program, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)).includes('"18446744073709551615n"'), true);
});

test('a cut that does not parse alone has no entry; a file that cannot be cut has no table', (t) => {
  const table = buildTable('macro a() { 1 }\nmacro b() { ( }\n', 'stdlib/x.bt')!;
  t.deepEqual(Object.keys(table.macros), ['a', 'b']);
  t.is(table.macros.b, null);
  t.is(programFromTable(table, new Set(['b'])), undefined);
  t.is(buildTable('import "x.bt";\nmacro a() { 1 }\n', 'stdlib/x.bt'), undefined);
});

test('a table is used only with the expected hash and the text it was made from; each use is a fresh copy', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfs-asts-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = 'stdlib/task.bt';
  const { text } = stdlib.read(file);
  const json = encodeTable(buildTable(text, file)!);
  writeFileSync(join(dir, tableFileName(file)), json);
  const comm = new Set(['comm']);
  const expected = parse(textOfMacros(text, comm)!, file);
  const first = libraryMacrosFromTable(file, text, comm, { dir, hashes: { [file]: sha256(json) } });
  t.deepEqual(first, expected);
  first!.items.length = 0;
  t.deepEqual(libraryMacrosFromTable(file, text, comm, { dir, hashes: { [file]: sha256(json) } }), expected);
  t.is(libraryMacrosFromTable(file, `${text}\n`, comm, { dir, hashes: { [file]: sha256(json) } }), undefined, 'the library file changed');
  t.is(libraryMacrosFromTable(file, text, comm, { dir, hashes: { [file]: sha256(`${json} `) } }), undefined, 'another table');
  t.is(libraryMacrosFromTable(file, text, comm, { dir, hashes: {} }), undefined, 'no hash');
  t.is(libraryMacrosFromTable(file, text, comm, { dir: join(dir, 'none'), hashes: { [file]: sha256(json) } }), undefined, 'no table');
  t.is(libraryMacrosFromTable(file, text, comm), undefined, 'outside the CLI bundle');
});

test('the built tables are those of the present sources', (t) => {
  const dir = join(repoRoot, 'dist/stdlib-asts');
  if (!existsSync(dir)) return t.pass('not built');
  for (const file of stdlib.files()) {
    const table = buildTable(stdlib.read(file).text, file);
    t.deepEqual(decodeTable(readFileSync(join(dir, tableFileName(file)), 'utf8')), decodeTable(encodeTable(table!)), file);
  }
});
