// Folded stacks and the SVG flame graph, from map snapshots made by hand.
import test from 'ava';
import type { MapInfo, ValueType } from '../../../../core/manifest/index.ts';
import { flameGraphSvg, foldedKey, foldSnapshot, formatFolded, stackFrames } from '../../../../plugins/output/folded/index.ts';

const kstack: ValueType = { kind: 'int', size: 8, signed: false, render: { kind: 'kstack', map: 'stack_map', mode: 'bpftrace', limit: 127 } };
const ustack: ValueType = { kind: 'tuple', size: 16, elements: [], render: { kind: 'ustack', map: 'stack_map', mode: 'bpftrace', limit: 127 } };
const str: ValueType = { kind: 'string', size: 16 };
const text: ValueType = { kind: 'string', size: 8192 };

function info(keyType: ValueType | undefined, value: MapInfo['value'] = { kind: 'count' }): MapInfo {
  return { name: '@', cName: 'map_', bpfType: 'hash', keyType, keySize: 8, value, valueSize: 8, maxEntries: 10 };
}

test('maps fold when a stack is in the key and the value is a count or sum', (t) => {
  t.deepEqual(foldedKey(info(kstack)), { parts: ['kstack'], tuple: false });
  t.deepEqual(foldedKey(info(ustack, { kind: 'sum', signed: false })), { parts: ['ustack'], tuple: false });
  const tuple: ValueType = { kind: 'tuple', size: 32, elements: [{ type: str, offset: 0 }, { type: kstack, offset: 16 }, { type: ustack, offset: 24 }] };
  t.deepEqual(foldedKey(info(tuple)), { parts: ['other', 'kstack', 'ustack'], tuple: true });
  t.is(foldedKey(info(str)), undefined);
  t.is(foldedKey(info(kstack, { kind: 'max', signed: false })), undefined);
  t.is(foldedKey(info(undefined)), undefined);
});

test('a rendered stack\'s frames, root first, offsets dropped, perf mode read', (t) => {
  t.deepEqual(stackFrames('\n        vfs_read+5\n        ksys_read+101\n        do_syscall_64+0x3a\n'), ['do_syscall_64', 'ksys_read', 'vfs_read']);
  t.deepEqual(stackFrames('\n\tffffffff81234 vfs_read+5 ([kernel.kallsyms])\n\t7f12 main+3 (/bin/x)\n'), ['main', 'vfs_read']);
  t.deepEqual(stackFrames('\n'), []);
});

test('folding: other key parts first, then user, then kernel frames; equal stacks add; `;` in names replaced', (t) => {
  const tuple: ValueType = { kind: 'tuple', size: 32, elements: [{ type: kstack, offset: 0 }, { type: str, offset: 8 }, { type: ustack, offset: 24 }] };
  const rendered: ValueType = { kind: 'tuple', size: 32, elements: [{ type: text, offset: 0 }, { type: str, offset: 8 }, { type: text, offset: 24 }] };
  const snap = {
    info: info(rendered),
    entries: [
      { key: ['\n        vfs_read+5\n        sys_read+1\n', 'a;b', '\n        read+1\n        main+9\n'], value: { kind: 'int', value: 3n } },
      { key: ['\n        vfs_read+9\n        sys_read+1\n', 'a;b', '\n        read+4\n        main+9\n'], value: { kind: 'int', value: 2n } },
      { key: ['\n', 'sh', '\n        main+1\n'], value: { kind: 'int', value: 1n } },
    ],
  };
  const folded = foldSnapshot(snap, foldedKey(info(tuple))!);
  t.is(formatFolded(folded), 'a:b;main;read;sys_read;vfs_read 5\nsh;main 1\n');
});

test('the SVG: one frame group per function in the tree, widths by value, names escaped, hover titles', (t) => {
  const svg = flameGraphSvg([
    { frames: ['main', 'a<b>'], value: 3 },
    { frames: ['main', 'c'], value: 1 },
  ], { width: 420 });
  const groups = [...svg.matchAll(/<g class="frame" data-name="([^"]*)" data-x="([\d.]+)" data-w="([\d.]+)" data-y="(\d+)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3]), Number(m[4])]);
  // 400 px between the 10 px margins: all and main whole, a<b> three quarters, c the rest; each a row above its caller.
  t.deepEqual(groups, [
    ['all', 10, 400, 66],
    ['main', 10, 400, 50],
    ['a&lt;b&gt;', 10, 300, 34],
    ['c', 310, 100, 34],
  ]);
  t.true(svg.includes('<title>a&lt;b&gt; (3 samples, 75.00%)</title>'));
  t.true(svg.includes('<svg version="1.1" width="420" height="112"'));
});
