// C definitions of structs, unions and enums as libbpf's btf_dump writes them
// (what `-lv 'struct X'` prints): on built BTF for the shapes that need care
// (bitfields, padding, packed, anonymous members, function pointers, arrays),
// and on every definition of the running kernel against bpftool's dump.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { Btf, cDefinition } from '../../../lib/btf/index.ts';
import { BtfBuilder, noBpftoolReason, noVmlinuxReason, VMLINUX } from './helpers.ts';

test('members, bitfields with padding between, an anonymous union inline, arrays and function pointers', (t) => {
  const b = new BtfBuilder();
  const int = b.int('int', 4, { signed: true });
  const uint = b.int('unsigned int', 4);
  const char = b.int('char', 1, { signed: true, char: true });
  const long = b.int('long', 8, { signed: true });
  const anon = b.composite('union', '', 8, [['l', long, 0], ['i', int, 0]]);
  const fp = b.ptr(b.funcProto(int, [['', b.ptr(char)], ['', int]]));
  const cb = b.ptr(b.funcProto(0, []));
  const cptr = b.ptr(b.modifier('const', char));
  const s = b.composite('struct', 'sample', 56, [
    ['a', int, 0],
    ['flag', uint, 32, 1],
    ['mode', uint, 33, 3],
    ['', anon, 64],
    ['name', b.array(char, int, 8), 128],
    ['op', fp, 192],
    ['done', cb, 256],
    ['label', cptr, 320],
    ['last', char, 384],
  ]);
  const btf = Btf.fromBuffer(b.build());
  t.is(cDefinition(btf, s), [
    'struct sample {',
    '\tint a;',
    '\tunsigned int flag: 1;',
    '\tunsigned int mode: 3;',
    '\tunion {',
    '\t\tlong l;',
    '\t\tint i;',
    '\t};',
    '\tchar name[8];',
    '\tint (*op)(char *, int);',
    '\tvoid (*done)(void);',
    '\tconst char *label;',
    '\tchar last;',
    '};',
  ].join('\n'));
});

test('padding is written out as long/int/short/char fields the compiler lines up; a misaligned member makes the struct packed', (t) => {
  const b = new BtfBuilder();
  const int = b.int('int', 4, { signed: true });
  const long = b.int('long', 8, { signed: true });
  const char = b.int('char', 1, { signed: true, char: true });
  const gap = b.composite('struct', 'gap', 64, [['a', int, 0], ['b', long, 256]]);
  const packed = b.composite('struct', 'tight', 5, [['c', char, 0], ['i', int, 8]]);
  const e = b.enum('colour', 4, [['RED', 0], ['GREEN', 7]]);
  const btf = Btf.fromBuffer(b.build());
  t.is(cDefinition(btf, gap), 'struct gap {\n\tint a;\n\tlong: 64;\n\tlong: 64;\n\tlong: 64;\n\tlong b;\n\tlong: 64;\n\tlong: 64;\n\tlong: 64;\n};');
  t.is(cDefinition(btf, packed), 'struct tight {\n\tchar c;\n\tint i;\n} __attribute__((packed));');
  t.is(cDefinition(btf, e), 'enum colour {\n\tRED = 0,\n\tGREEN = 7,\n};');
});

const kernelTest = noVmlinuxReason() ?? noBpftoolReason() ? test.skip : test;

kernelTest('every named struct, union and enum of the kernel reads as bpftool writes it', (t) => {
  const dump = execFileSync('bpftool', ['btf', 'dump', 'file', VMLINUX, 'format', 'c'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  // bpftool's definitions by their first line; a name defined twice (renamed `___2` by bpftool) is left out.
  const theirs = new Map<string, string | null>();
  const lines = dump.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^(struct|union|enum) \S+ \{$/.test(lines[i]!)) continue;
    const start = i;
    while (!/^\}.*;$/.test(lines[i]!)) i++;
    const key = lines[start]!;
    theirs.set(key, theirs.has(key) ? null : lines.slice(start, i + 1).join('\n'));
  }
  const btf = Btf.open(VMLINUX);
  const seen = new Map<string, number>();
  const ours = new Map<string, string>();
  for (let id = 1; id < btf.endId; id++) {
    const ty = btf.type(id);
    if (!ty.name || !(ty.kind === 'struct' || ty.kind === 'union' || ((ty.kind === 'enum' || ty.kind === 'enum64') && ty.values.length))) continue;
    const text = cDefinition(btf, id);
    const key = text.split('\n')[0]!;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    ours.set(key, text);
  }
  let compared = 0;
  const differ: string[] = [];
  for (const [key, text] of ours) {
    const want = theirs.get(key);
    // Skipped: names defined twice, and definitions that use a type bpftool renamed (`struct console___2`).
    if (seen.get(key)! > 1 || !want || /___\d/.test(want)) continue;
    compared++;
    if (want !== text) differ.push(key);
  }
  t.true(compared > 1000, `compared ${compared}`);
  t.deepEqual(differ, []);
});
