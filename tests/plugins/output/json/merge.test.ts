// `bpfscript merge`: several runs' -f json output as one result.
import test from 'ava';
import { finalMaps, mergeJsonRuns, MergeError } from '../../../../plugins/output/json/index.ts';

const hostA = [
  '{"type": "attached_probes", "count": 2, "data": {"probes": 2}}',
  '{"type": "printf", "data": "hello\\n"}',
  // An earlier print() of @c: the last message of a map is its final state.
  '{"type": "map", "data": {"@c": {"bash": 1}}}',
  '{"type": "map", "data": {"@c": {"bash": 3, "sh": 1}}}',
  '{"type": "hist", "data": {"@h": [{"min": 4, "max": 7, "count": 1},{"min": 8, "max": 15, "count": 0},{"min": 16, "max": 31, "count": 2}]}}',
  '{"type": "stats", "data": {"@s": {"count": 2, "average": 10, "total": 20}}}',
  '{"type": "map", "data": {"@peak": 7}}',
  '{"type": "map", "data": {"@low": 7}}',
  '{"type": "map", "data": {"@name": "a"}}',
  '',
].join('\n');

const hostB = [
  '{"type": "map", "data": {"@c": {"bash": 4, "node": 2}}}',
  '{"type": "hist", "data": {"@h": [{"max": -1, "count": 1},{"min": 16, "max": 31, "count": 5},{"min": 32, "max": 63, "count": 1}]}}',
  '{"type": "stats", "data": {"@s": {"count": 1, "average": 40, "total": 40}}}',
  '{"type": "map", "data": {"@peak": 9}}',
  '{"type": "map", "data": {"@low": 9}}',
  '{"type": "map", "data": {"@name": "b"}}',
  '{"type": "hist", "data": {"@k": {"x": [{"min": 0, "max": 9, "count": 2}]}}}',
  '',
].join('\n');

test('counts add key by key, hist buckets add bucket by bucket, stats combine, min/max take the extreme', (t) => {
  const merged = mergeJsonRuns([{ name: 'a.json', text: hostA }, { name: 'b.json', text: hostB }], { min: new Set(['@low']), max: new Set(['@peak']) });
  t.is(
    merged,
    [
      '{"type": "map", "data": {"@c": {"bash": 7, "sh": 1, "node": 2}}}',
      '{"type": "hist", "data": {"@h": [{"max": -1, "count": 1},{"min": 4, "max": 7, "count": 1},{"min": 8, "max": 15, "count": 0},{"min": 16, "max": 31, "count": 7},{"min": 32, "max": 63, "count": 1}]}}',
      '{"type": "hist", "data": {"@k": {"x": [{"min": 0, "max": 9, "count": 2}]}}}',
      '{"type": "map", "data": {"@low": 7}}',
      '{"type": "map", "data": {"@name": "b"}}',
      '{"type": "map", "data": {"@peak": 9}}',
      '{"type": "stats", "data": {"@s": {"count": 3, "average": 20, "total": 60}}}',
      '',
    ].join('\n'),
  );
});

test('numbers of maps not named min or max add; a merge of one run is that run\'s maps', (t) => {
  t.is(mergeJsonRuns([{ name: 'a', text: hostA }, { name: 'b', text: hostB }]).split('\n').find((l) => l.includes('@peak')), '{"type": "map", "data": {"@peak": 16}}');
  const single = mergeJsonRuns([{ name: 'a', text: hostA }]);
  t.deepEqual(Object.fromEntries(finalMaps(single, 'merged')), Object.fromEntries(finalMaps(hostA, 'a')));
});

test('what cannot be merged is an error naming the map or the line', (t) => {
  const avg = '{"type": "stats", "data": {"@a": 12}}\n';
  t.throws(() => mergeJsonRuns([{ name: 'a', text: avg }, { name: 'b', text: avg }]), {
    instanceOf: MergeError,
    message: '@a is an avg() map: its -f json output keeps only the average, which cannot be combined across runs (use stats())',
  });
  t.throws(() => mergeJsonRuns([{ name: 'a', text: '{"type": "map", "data": {"@x": 1}}\n' }, { name: 'b', text: '{"type": "hist", "data": {"@x": []}}\n' }]), {
    message: '@x is a map map in one input and a hist map in another',
  });
  t.throws(() => mergeJsonRuns([{ name: 'run.json', text: '{"type": "printf", "data": "x"}\nAttached 1 probe\n' }]), { message: 'run.json:2: not a JSON line of bpfscript -f json' });
  t.throws(() => mergeJsonRuns([{ name: 'run.json', text: '{"type": "map"}\n' }]), { message: 'run.json:1: a map message without its maps' });
});
