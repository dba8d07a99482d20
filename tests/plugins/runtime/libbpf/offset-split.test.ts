// A uprobe_multi link refused for an offset the kernel cannot probe is split
// until each refusal is one offset: the others attach on the links of the
// parts that the kernel takes, at a few tries per offset left out.
import test from 'ava';
import { attachSplitting, mayBeUnprobeable } from '../../../../plugins/runtime/libbpf/offset-split.ts';

/** A kernel that refuses any link holding one of `bad` (with `errno`); the links it made and every try. */
function kernel(bad: number[], errno = 524) {
  const tries: number[][] = [];
  const destroyed: number[][] = [];
  return {
    tries,
    destroyed,
    attach(indices: number[]): number[] {
      tries.push(indices);
      if (indices.some((i) => bad.includes(i))) throw Object.assign(new Error('refused'), { errno });
      return indices;
    },
    destroy(link: number[]): void {
      destroyed.push(link);
    },
  };
}

test('nothing refused: one link, one try', (t) => {
  const k = kernel([]);
  const r = attachSplitting(100, k);
  t.deepEqual(r.links, [Array.from({ length: 100 }, (_, i) => i)]);
  t.deepEqual(r.refused, []);
  t.is(k.tries.length, 1);
});

test('each refused offset is found on its own; every other offset is on exactly one link', (t) => {
  const k = kernel([3, 700, 701]);
  const r = attachSplitting(1000, k);
  t.deepEqual(r.refused.map((x) => x.index), [3, 700, 701]);
  t.true(r.refused.every((x) => (x.error as { errno: number }).errno === 524));
  const attached = r.links.flat().sort((a, b) => a - b);
  t.deepEqual(attached, Array.from({ length: 1000 }, (_, i) => i).filter((i) => ![3, 700, 701].includes(i)));
  // About 2 log2(n) tries per offset left out, not one per offset.
  t.true(k.tries.length <= 3 * 2 * Math.ceil(Math.log2(1000)), `${k.tries.length} tries`);
  t.deepEqual(k.destroyed, []);
});

test('a refusal for another reason destroys the links made and is thrown', (t) => {
  const k = kernel([]);
  let calls = 0;
  const attach = (indices: number[]) => {
    calls++;
    if (calls === 1) throw Object.assign(new Error('refused'), { errno: 95 });
    if (calls === 3) throw Object.assign(new Error('no permission'), { errno: 1 });
    return k.attach(indices);
  };
  t.throws(() => attachSplitting(10, { attach, destroy: k.destroy }), { message: 'no permission' });
  t.deepEqual(k.destroyed, [[0, 1, 2, 3, 4]]);
});

test('most: 1 (a link per offset) tries each offset once, on its own', (t) => {
  const k = kernel([2], 22);
  const r = attachSplitting(5, { ...k, most: 1 });
  t.deepEqual(k.tries, [[0], [1], [2], [3], [4]]);
  t.deepEqual(r.links, [[0], [1], [3], [4]]);
  t.deepEqual(r.refused.map((x) => x.index), [2]);
});

test('ENOTSUPP, EOPNOTSUPP and EINVAL may be an unprobeable offset; other errors are not', (t) => {
  t.true([524, 95, 22].every((errno) => mayBeUnprobeable({ errno })));
  t.false([1, 2, 9, 16].some((errno) => mayBeUnprobeable({ errno })));
  t.false(mayBeUnprobeable(new Error('no errno')));
});

test('offsets known to be refused are left out of the first link and each tried once alone: one try more per offset, no search', (t) => {
  const k = kernel([3, 700]);
  const r = attachSplitting(1000, k, new Set([3, 700]));
  t.deepEqual(k.tries.map((x) => x.length), [998, 1, 1]);
  t.deepEqual(k.tries.slice(1), [[3], [700]]);
  t.deepEqual(r.refused.map((x) => x.index), [3, 700]);
  t.deepEqual(r.links.flat().sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i).filter((i) => i !== 3 && i !== 700));
});

test('a wrong memory loses nothing: a remembered offset that attaches is attached, a refused one it missed is found by the search', (t) => {
  const k = kernel([700]);
  const r = attachSplitting(1000, k, new Set([3]));
  t.deepEqual(r.refused.map((x) => x.index), [700]);
  t.deepEqual(r.links.flat().sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i).filter((i) => i !== 700));
  t.deepEqual(k.tries.at(-1), [3]);
});

test('the refused come back in index order whichever way each was found', (t) => {
  const k = kernel([2, 5, 9]);
  const r = attachSplitting(10, k, new Set([9, 2]));
  t.deepEqual(r.refused.map((x) => x.index), [2, 5, 9]);
});

test('a remembered offset refused for another reason destroys the links made and is thrown', (t) => {
  const k = kernel([]);
  const attach = (indices: number[]) => {
    if (indices.length === 1 && indices[0] === 4) throw Object.assign(new Error('no permission'), { errno: 1 });
    return k.attach(indices);
  };
  t.throws(() => attachSplitting(6, { attach, destroy: k.destroy }, new Set([4])), { message: 'no permission' });
  t.deepEqual(k.destroyed, [[0, 1, 2, 3, 5]]);
});
