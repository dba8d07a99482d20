// readMemberLayout: one struct member from a BTF file with a few positioned
// reads, checked against the whole-blob reader on the running kernel's BTF and
// on hand-encoded BTF (a struct past the first chunks, a member whose type
// comes after its struct, bitfields, missing names, a file that is not BTF).
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Btf, KernelBtf, readMemberLayout } from '../../../lib/btf/index.ts';
import { BtfBuilder, noVmlinuxReason, VMLINUX } from './helpers.ts';

const kernelTest = noVmlinuxReason() ? test.skip : test;

function writeBtf(raw: Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bpfs-member-layout-')), 'btf');
  writeFileSync(path, raw);
  return path;
}

kernelTest('vmlinux members agree with the whole-blob reader', (t) => {
  const btf = Btf.open(VMLINUX);
  for (const [struct, member] of [['task_struct', 'comm'], ['task_struct', 'pid'], ['task_struct', 'tgid'], ['task_struct', 'flags'], ['task_struct', 'real_parent'], ['file', 'f_inode'], ['sk_buff', 'len']] as const) {
    const id = btf.findByName('struct', struct)!;
    const m = btf.members(id).find((x) => x.name === member)!;
    t.deepEqual(readMemberLayout(VMLINUX, struct, member), { offset: m.bitOffset / 8, size: btf.sizeof(m.type) }, `${struct}.${member}`);
  }
  t.deepEqual(readMemberLayout(VMLINUX, 'task_struct', 'comm')?.size, 16);
});

kernelTest('KernelBtf answers from a few reads before vmlinux is read, and the same after', (t) => {
  const fresh = new KernelBtf();
  const before = fresh.memberLayout('task_struct', 'comm');
  t.truthy(before);
  const read = new KernelBtf();
  read.vmlinux.findByName('struct', 'task_struct');
  t.deepEqual(read.memberLayout('task_struct', 'comm'), before);
  t.is(read.memberLayout('task_struct', 'no_such_member'), undefined);
});

test('a struct past the first chunks of the file, a member typed by a later id, typedefs to arrays', (t) => {
  const b = new BtfBuilder();
  const char = b.int('char', 1, { signed: true, char: true });
  const u32 = b.int('unsigned int', 4);
  // ~80 KiB of types before the struct: the reader reads the section 16 KiB at a time.
  for (let i = 0; i < 5000; i++) b.int(`filler_${i}`, 8);
  const nextId = 5000 + 3 + 1; // char, u32, fillers, the struct itself: the array comes right after it
  b.composite('struct', 'late', 40, [['flags', u32, 0], ['name', nextId, 64], ['alias', nextId + 1, 192]]);
  const array = b.array(char, u32, 16);
  b.modifier('typedef', array, 'name_t');
  const path = writeBtf(b.build());
  t.deepEqual(readMemberLayout(path, 'late', 'flags'), { offset: 0, size: 4 });
  t.deepEqual(readMemberLayout(path, 'late', 'name'), { offset: 8, size: 16 });
  t.deepEqual(readMemberLayout(path, 'late', 'alias'), { offset: 24, size: 16 });
  t.is(readMemberLayout(path, 'late', 'missing'), undefined);
  t.is(readMemberLayout(path, 'missing', 'name'), undefined);
  t.is(readMemberLayout(path, 'filler_1', 'name'), undefined, 'an int of that name is not a struct');
});

test('a name that runs across two chunks of the string section', (t) => {
  const b = new BtfBuilder();
  const u32 = b.int('unsigned int', 4);
  for (let i = 0; i < 2334; i++) b.int(`f${String(i).padStart(5, '0')}`, 8); // 7 bytes each: the struct's name starts just before 16 KiB
  const name = 'a_struct_named_across_chunks';
  b.composite('struct', name, 8, [['a_member_after_it', u32, 0], ['second', u32, 32]]);
  const raw = b.build();
  const nameOff = raw.indexOf(Buffer.from(`${name}\0`)) - 24 - raw.readUInt32LE(16);
  t.true(nameOff < 16384 && nameOff + name.length > 16384, `the name is at ${nameOff}`);
  const path = writeBtf(raw);
  t.deepEqual(readMemberLayout(path, name, 'second'), { offset: 4, size: 4 });
  t.deepEqual(readMemberLayout(path, name, 'a_member_after_it'), { offset: 0, size: 4 });
  t.is(readMemberLayout(path, 'a_struct_named_across_chunk', 'second'), undefined, 'a prefix of the name');
});

test('bitfields, unions and files that are not BTF have no layout', (t) => {
  const b = new BtfBuilder();
  const u32 = b.int('unsigned int', 4);
  b.composite('struct', 'bits', 4, [['low', u32, 0, 3], ['high', u32, 3, 29]]);
  b.composite('union', 'either', 4, [['a', u32, 0]]);
  const path = writeBtf(b.build());
  t.is(readMemberLayout(path, 'bits', 'low'), undefined);
  t.is(readMemberLayout(path, 'either', 'a'), undefined);
  t.is(readMemberLayout('/etc/hostname', 'task_struct', 'comm'), undefined);
  t.is(readMemberLayout('/nonexistent/btf', 'task_struct', 'comm'), undefined);
  t.is(readMemberLayout(writeBtf(b.build().subarray(0, 40)), 'bits', 'low'), undefined, 'cut short');
});
