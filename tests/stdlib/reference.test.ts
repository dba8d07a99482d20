// The function reference: the standard library's doc comments and the
// builtins' own `doc` strings, merged into one entry per name, grouped as
// bpftrace's stdlib.md groups them, and what keeps it from being whole.
import test from 'ava';
import { join } from 'node:path';
import { repoRoot } from '../helpers/run.ts';
import { StandardLibrary, buildReference, parseDocText, referenceEntryText, referenceMarkdown, type DocumentedBuiltin } from '../../stdlib/index.ts';

const fixtures = new StandardLibrary(join(repoRoot, 'tests', 'fixtures', 'stdlib-reference'));

const builtins: DocumentedBuiltin[] = [
  { name: 'zeta', doc: ':variant uint32 zeta()\nThe last letter.' },
  { name: 'count', doc: ':variant count_t count()\nCounts.', aggregate: {} },
  { name: '__builtin_thing', doc: ':variant void __builtin_thing(int x)\nFor macros.' },
  { name: 'builtin_in_bt' },
  { name: 'nodoc' },
  { name: 'hidden', doc: ':variant uint64 hidden()\nShadowed.' },
  { name: 'novariant', doc: 'Only words.' },
];

test('a builtin doc string is parsed like a comment block; indentation is removed', (t) => {
  const doc = parseDocText('nsecs', `
    :variant uint64 nsecs([mode])
    The time.

    \`\`\`
      indented example
    \`\`\`
  `);
  t.deepEqual(doc, { name: 'nsecs', variants: ['uint64 nsecs([mode])'], description: 'The time.\n\n```\n  indented example\n```', line: 1 });
  t.is(parseDocText('x', '   \n  '), undefined);
});

test('entries: one per name, sorted, in sections; overload blocks of one file merge', (t) => {
  const ref = buildReference(fixtures, builtins);
  t.deepEqual(
    ref.entries.map((e) => [e.section, e.name]),
    [
      ['helpers', 'builtin_in_bt'],
      ['helpers', 'hidden'],
      ['helpers', 'novariant'],
      ['helpers', 'pick'],
      ['helpers', 'twice'],
      ['helpers', 'zeta'],
      ['map-values', 'count'],
      ['intrinsics', '__builtin_thing'],
    ],
  );
  const pick = ref.entries.find((e) => e.name === 'pick')!;
  t.deepEqual(pick.variants, ['int64 pick(int64 a)', 'int64 pick(int64 a, int64 b)']);
  t.is(pick.description, 'With one argument.\n\nWith two.');
  t.is(pick.source, 'stdlib/alpha.bt');
  t.true(pick.macro);
  const bt = ref.entries.find((e) => e.name === 'builtin_in_bt')!;
  t.is(bt.source, 'stdlib/alpha.bt');
  t.false(bt.macro);
  t.is(ref.entries.find((e) => e.name === 'zeta')!.source, 'builtin');
});

test('problems: undocumented macros and builtins, names documented twice, a macro hiding a builtin, no variant', (t) => {
  t.deepEqual(buildReference(fixtures, builtins).problems, [
    'builtin nodoc has no doc',
    'hidden is both a builtin and a standard-library macro (the macro hides the builtin)',
    'hidden is documented in stdlib/alpha.bt and builtin: keep one',
    'novariant (builtin) has no :variant naming it',
    'stdlib/alpha.bt: macro undocumented has no doc comment',
    'stdlib/beta.bt: macro beta_only has no doc comment',
    'twice is documented in stdlib/alpha.bt and stdlib/beta.bt: keep one',
  ]);
});

test('markdown: a ### entry per function, bare forms of () variants, the defining file of a macro', (t) => {
  const md = referenceMarkdown(buildReference(fixtures, builtins));
  t.true(md.startsWith('# bpfscript Standard Library\n'));
  t.true(md.includes('\n## Helpers\n\n### builtin_in_bt\n\n- `uint64 builtin_in_bt()`\n- `uint64 builtin_in_bt`\n\nA builtin documented in a .bt file.\n\n### hidden\n'));
  t.true(md.includes('\n### pick\n\n- `int64 pick(int64 a)`\n- `int64 pick(int64 a, int64 b)`\n\nWith one argument.\n\nWith two.\n\nDefined in [`stdlib/alpha.bt`](../stdlib/alpha.bt).\n'));
  t.true(md.indexOf('## Map Value Functions') < md.indexOf('### count'));
  t.true(md.indexOf('### zeta') < md.indexOf('## Map Value Functions'));
  t.true(md.indexOf('## Intrinsics') < md.indexOf('### __builtin_thing'));
  t.true(md.endsWith('which are synchronous.\n'));
  t.is(referenceMarkdown(buildReference(fixtures, [...builtins].reverse())), md);
});

test('one entry as --help prints it', (t) => {
  const ref = buildReference(fixtures, builtins);
  t.is(referenceEntryText(ref.entries.find((e) => e.name === 'zeta')!), 'zeta (builtin)\n    uint32 zeta()\n    uint32 zeta\n\nThe last letter.\n');
  t.is(referenceEntryText(ref.entries.find((e) => e.name === 'twice')!), 'twice (macro in stdlib/alpha.bt)\n    int64 twice(int64 n)\n    int64 twice(int64 n)\n\nDoubles `n`.\n\nDocumented again, elsewhere.\n');
  t.is(referenceEntryText(ref.entries.find((e) => e.name === 'count')!), 'count (map value function)\n    count_t count()\n    count_t count\n\nCounts.\n');
});
