// The standard library: where it is, which file defines which macro, and its
// reference docs (every macro must have one).
import test from 'ava';
import { join } from 'node:path';
import { parse } from '../../../core/syntax/index.ts';
import { repoRoot } from '../../helpers/run.ts';
import { StandardLibrary, macroChunks, parseStdlibDocs, scanMacroNames, stdlibRoot, textOfMacros } from '../../../stdlib/index.ts';

const stdlib = new StandardLibrary();

test('the standard library is found beside package.json', (t) => {
  t.is(stdlibRoot(), join(repoRoot, 'stdlib'));
  t.is(stdlibRoot(join(repoRoot, 'dist')), join(repoRoot, 'stdlib'));
  t.true(stdlib.files().includes('stdlib/math.bt'));
});

test('every standard-library file parses and only defines macros', (t) => {
  for (const name of stdlib.files()) {
    const { text } = stdlib.read(name);
    const items = parse(text, name).items;
    t.true(items.length > 0, name);
    t.deepEqual([...new Set(items.map((i) => i.kind))], ['MacroDef'], name);
    t.deepEqual(items.map((i) => (i.kind === 'MacroDef' ? i.name : '')), scanMacroNames(text), name);
  }
});

test('each macro of a standard-library file parses alone as it does in the whole file (same spans)', (t) => {
  for (const name of stdlib.files()) {
    const { text } = stdlib.read(name);
    const whole = parse(text, name).items;
    for (const macro of new Set(scanMacroNames(text))) {
      const part = textOfMacros(text, new Set([macro]));
      t.is(part?.length, text.length, `${name}: ${macro}`);
      t.deepEqual(parse(part!, name).items, whole.filter((i) => i.kind === 'MacroDef' && i.name === macro), `${name}: ${macro}`);
    }
  }
});

test('the text of some macros: the rest blanked, lines kept; a file that starts with more than comments is not cut', (t) => {
  const text = '// head\nmacro a() { 1 }\n// b\nmacro b(x) {\n  x\n}\n  macro c() { 3 }\n';
  t.deepEqual(macroChunks(text).map((c) => [c.name, text.slice(c.start, c.end)]), [['a', 'macro a() { 1 }\n// b\n'], ['b', 'macro b(x) {\n  x\n}\n'], ['c', '  macro c() { 3 }\n']]);
  t.is(textOfMacros(text, new Set(['b'])), '       \n               \n    \nmacro b(x) {\n  x\n}\n                 \n');
  t.is(textOfMacros('import "x.bt";\nmacro a() { 1 }\n', new Set(['a'])), undefined);
});

test('every standard-library macro is documented with a :variant naming it', (t) => {
  for (const name of stdlib.files()) {
    const { text } = stdlib.read(name);
    const docs = parseStdlibDocs(text);
    for (const macro of new Set(scanMacroNames(text))) {
      const doc = docs.find((d) => d.name === macro);
      t.truthy(doc, `${name}: ${macro} has no doc comment`);
      t.true(doc!.variants.some((v) => v.includes(`${macro}(`)), `${name}: ${macro} has no :variant`);
      t.not(doc!.description, '', `${name}: ${macro} has no description`);
    }
  }
});

test('which file defines which macro', (t) => {
  t.deepEqual(stdlib.filesDefining(['abs', 'print', 'is_err']), ['stdlib/base.bt', 'stdlib/math.bt']);
  t.deepEqual(stdlib.filesDefining(['nothing_here']), []);
});

test('standard-library paths', (t) => {
  t.is(stdlib.pathOf('stdlib/math.bt'), join(repoRoot, 'stdlib/math.bt'));
  t.is(stdlib.pathOf('stdlib'), join(repoRoot, 'stdlib'));
  t.is(stdlib.pathOf('stdlib/none.bt'), undefined);
  t.is(stdlib.pathOf('stdlib/../package.json'), undefined);
  t.is(stdlib.pathOf('math.bt'), undefined);
  t.is(stdlib.nameOf(join(repoRoot, 'stdlib/x/y.bpf.c')), 'stdlib/x/y.bpf.c');
});

test('macro names are scanned from definitions, not comments', (t) => {
  t.deepEqual(scanMacroNames('// macro nope(x) { }\nmacro yes(x) { x }\n  macro  also ( ) { 1 }\n/* text */ macro inline() {}\n'), ['yes', 'also']);
});

test('doc comments: variants, description, :function entries and plain comments', (t) => {
  const docs = parseStdlibDocs([
    '// A file comment, not documentation.',
    '',
    '// :variant int64 abs(int64 n)',
    '// The absolute value.',
    '//',
    '// More.',
    'macro abs(n) { n }',
    '',
    '// :function cat',
    '// :variant void cat(string fmt, ...)',
    '// Prints a file.',
    '',
    '// :variant uint32 cpu()',
    '// :deprecated_variant uint32 cpu(int x)',
    '// The CPU.',
    'macro cpu() { 0 }',
  ].join('\n'));
  t.deepEqual(docs, [
    { name: 'abs', variants: ['int64 abs(int64 n)'], description: 'The absolute value.\n\nMore.', line: 3 },
    { name: 'cat', variants: ['void cat(string fmt, ...)'], description: 'Prints a file.', line: 9 },
    { name: 'cpu', variants: ['uint32 cpu()', 'uint32 cpu(int x)'], description: 'The CPU.', line: 13 },
  ]);
});
