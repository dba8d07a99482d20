// npm version ranges as packages write them in `engines.bpfscript`.
import test from 'ava';
import { satisfies } from '../../../core/passes/imports/version-range.ts';

test('caret, tilde, comparisons, x-ranges, hyphens and alternatives', (t) => {
  const cases: [string, string, boolean][] = [
    ['0.1.0', '^0.1.0', true],
    ['0.1.7', '^0.1.0', true],
    ['0.2.0', '^0.1.0', false],
    ['1.4.2', '^1.2.0', true],
    ['2.0.0', '^1.2.0', false],
    ['0.0.3', '^0.0.3', true],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['1.9.0', '~1', true],
    ['0.1.0', '>=0.1.0 <1', true],
    ['1.0.0', '>=0.1.0 <1', false],
    ['1.0.0', '> 0.9', true],
    ['0.9.5', '>0.9', false],
    ['0.9.5', '<=0.9', true],
    ['1.2.3', '1.x', true],
    ['2.0.0', '1.x', false],
    ['3.1.4', '*', true],
    ['3.1.4', '', true],
    ['1.4.9', '1.2.3 - 1.4', true],
    ['1.5.0', '1.2.3 - 1.4', false],
    ['1.5.0', '1.2.3 - 1.4.0', false],
    ['2.1.0', '^1.0.0 || ^2.0.0', true],
    ['3.0.0', '^1.0.0 || ^2.0.0', false],
    ['1.0.0', '=1.0.0', true],
    ['1.0.0-beta.1', '^1.0.0', false],
    ['1.0.0-beta.2', '>=1.0.0-beta.1', true],
  ];
  for (const [version, range, want] of cases) t.is(satisfies(version, range), want, `${version} in "${range}"`);
});

test('a range that cannot be read, or a version that is not one', (t) => {
  t.is(satisfies('1.0.0', 'latest'), undefined);
  t.is(satisfies('1.0.0', '>= banana'), undefined);
  t.is(satisfies('one', '^1.0.0'), undefined);
});
