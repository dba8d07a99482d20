// The BTF reader against an independent oracle (bpftool's JSON dump): every
// type of the running kernel's vmlinux, and a hand-encoded blob with every kind.
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Btf, BtfError } from '../../../lib/btf/index.ts';
import { asBpftool, bpftoolShape, bpftoolTypes, BtfBuilder, noBpftoolReason, noVmlinuxReason, VMLINUX } from './helpers.ts';

const skipKernel = noVmlinuxReason() ?? noBpftoolReason();

(skipKernel ? test.skip : test)('every vmlinux type decodes exactly as bpftool prints it', (t) => {
  const btf = Btf.open(VMLINUX);
  const expected = bpftoolTypes(VMLINUX);
  t.is(btf.count, expected.length);
  t.is(btf.startId, 1);
  let mismatches = 0;
  for (const e of expected) {
    const ours = asBpftool(btf, btf.type(e.id));
    if (JSON.stringify(ours) !== JSON.stringify(bpftoolShape(e))) {
      if (mismatches++ < 3) t.deepEqual(ours, bpftoolShape(e), `type ${e.id}`);
    }
  }
  t.is(mismatches, 0);
  // every kind this kernel has was met
  const kinds = new Set(expected.map((e) => e.kind));
  for (const k of ['INT', 'PTR', 'ARRAY', 'STRUCT', 'UNION', 'ENUM', 'FWD', 'TYPEDEF', 'VOLATILE', 'CONST', 'RESTRICT', 'FUNC', 'FUNC_PROTO', 'VAR', 'DATASEC']) t.true(kinds.has(k), k);
});

function everyKind(): { raw: Buffer; ids: Record<string, number> } {
  const b = new BtfBuilder();
  const ids: Record<string, number> = {};
  ids.int = b.int('int', 4, { signed: true });
  ids.uchar = b.int('unsigned char', 1, { char: true });
  ids.bool = b.int('_Bool', 1, { bool: true });
  ids.legacyBits = b.int('unsigned int', 4, { bits: 3, offset: 2 });
  ids.ptr = b.ptr(ids.int);
  ids.array = b.array(ids.int, ids.int, 16);
  ids.struct = b.composite('struct', 'pair', 12, [['a', ids.int, 0], ['flag', ids.int, 32, 1], ['mode', ids.int, 33, 3], ['', 0, 64]]);
  ids.legacy = b.composite('struct', 'legacy', 4, [['x', ids.legacyBits, 0]], false);
  ids.union = b.composite('union', 'either', 4, [['i', ids.int, 0], ['c', ids.uchar, 0]]);
  ids.enum = b.enum('color', 4, [['RED', 0], ['BLUE', 0xffffffff]]);
  ids.senum = b.enum('delta', 4, [['MINUS', -5], ['PLUS', 5]], true);
  ids.enum64 = b.enum64('big', [['HUGE', 0xfedcba9876543210n], ['ONE', 1n]]);
  ids.senum64 = b.enum64('sbig', [['MIN', -(1n << 63n)], ['M1', -1n]], true);
  ids.fwd = b.fwd('opaque');
  ids.fwdUnion = b.fwd('uopaque', true);
  ids.typedef = b.modifier('typedef', ids.int, 'myint');
  ids.volatile = b.modifier('volatile', ids.int);
  ids.const = b.modifier('const', ids.uchar);
  ids.restrict = b.modifier('restrict', ids.ptr);
  ids.typeTag = b.modifier('type_tag', ids.const, 'user');
  ids.userPtr = b.ptr(ids.typeTag);
  ids.proto = b.funcProto(ids.int, [['fmt', ids.userPtr], ['n', ids.int]], true);
  ids.func = b.func('my_printf', ids.proto, 2);
  ids.var = b.variable('counter', ids.int, 1);
  ids.datasec = b.datasec('.data', 4, [[ids.var, 0, 4]]);
  ids.float = b.float('double', 8);
  ids.declTag = b.declTag('bpf_kfunc', ids.func);
  ids.declTagParam = b.declTag('nonnull', ids.func, 1);
  return { raw: b.build(), ids };
}

test('a blob with every kind decodes field by field', (t) => {
  const { raw, ids } = everyKind();
  const btf = Btf.fromBuffer(raw, { name: 'kinds' });
  t.is(btf.count, Object.keys(ids).length);
  t.like(btf.type(ids.int), { kind: 'int', name: 'int', size: 4, bits: 32, signed: true, char: false, bool: false });
  t.like(btf.type(ids.uchar), { kind: 'int', char: true, signed: false });
  t.like(btf.type(ids.bool), { kind: 'int', bool: true });
  t.like(btf.type(ids.array), { kind: 'array', type: ids.int, indexType: ids.int, length: 16 });
  t.deepEqual(btf.members(ids.struct), [
    { name: 'a', type: ids.int, bitOffset: 0, bitSize: 0 },
    { name: 'flag', type: ids.int, bitOffset: 32, bitSize: 1 },
    { name: 'mode', type: ids.int, bitOffset: 33, bitSize: 3 },
    { name: '', type: 0, bitOffset: 64, bitSize: 0 },
  ]);
  // kind_flag 0: the bitfield lives in the INT's encoding; the model folds it into the member
  t.deepEqual(btf.members(ids.legacy), [{ name: 'x', type: ids.legacyBits, bitOffset: 2, bitSize: 3 }]);
  t.is(btf.type(ids.union).kind, 'union');
  t.deepEqual(btf.enumValues(ids.enum), [{ name: 'RED', value: 0n }, { name: 'BLUE', value: 0xffffffffn }]);
  t.like(btf.type(ids.senum), { signed: true });
  t.deepEqual(btf.enumValues(ids.senum), [{ name: 'MINUS', value: -5n }, { name: 'PLUS', value: 5n }]);
  t.deepEqual(btf.enumValues(ids.enum64), [{ name: 'HUGE', value: 0xfedcba9876543210n }, { name: 'ONE', value: 1n }]);
  t.deepEqual(btf.enumValues(ids.senum64), [{ name: 'MIN', value: -(1n << 63n) }, { name: 'M1', value: -1n }]);
  t.like(btf.type(ids.fwd), { kind: 'fwd', name: 'opaque', union: false });
  t.like(btf.type(ids.fwdUnion), { kind: 'fwd', union: true });
  for (const k of ['typedef', 'volatile', 'const', 'restrict', 'type_tag'] as const) t.is(btf.type(ids[k === 'type_tag' ? 'typeTag' : k]!).kind, k);
  t.like(btf.type(ids.func), { kind: 'func', name: 'my_printf', type: ids.proto, linkage: 'extern' });
  t.like(btf.type(ids.proto), { kind: 'func_proto', returnType: ids.int, variadic: true, params: [{ name: 'fmt', type: ids.userPtr }, { name: 'n', type: ids.int }] });
  t.like(btf.type(ids.var), { kind: 'var', name: 'counter', linkage: 'global' });
  t.like(btf.type(ids.datasec), { kind: 'datasec', name: '.data', size: 4, vars: [{ type: ids.var, offset: 0, size: 4 }] });
  t.like(btf.type(ids.float), { kind: 'float', name: 'double', size: 8 });
  t.like(btf.type(ids.declTag), { kind: 'decl_tag', type: ids.func, componentIdx: -1 });
  t.like(btf.type(ids.declTagParam), { componentIdx: 1 });
  t.deepEqual(btf.type(0), { kind: 'void', id: 0, name: 'void' });
});

(noBpftoolReason() ? test.skip : test)('the every-kind blob agrees with bpftool', (t) => {
  const { raw } = everyKind();
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-btf-'));
  const file = join(dir, 'kinds.btf');
  writeFileSync(file, raw);
  const btf = Btf.open(file);
  for (const e of bpftoolTypes(file)) {
    const ours = asBpftool(btf, btf.type(e.id));
    if (e.name === 'legacy') continue; // bpftool leaves kind_flag-0 bitfields in the INT; checked above
    t.deepEqual(ours, bpftoolShape(e), `type ${e.id} ${e.kind}`);
  }
});

test('malformed input is a BtfError with the reason', (t) => {
  t.throws(() => Btf.fromBuffer(Buffer.alloc(8)), { instanceOf: BtfError, message: /too short/ });
  const wrongMagic = Buffer.alloc(24);
  wrongMagic.writeUInt16LE(0x1234, 0);
  t.throws(() => Btf.fromBuffer(wrongMagic), { instanceOf: BtfError, message: /not raw BTF: magic 0x1234/ });
  const { raw } = everyKind();
  const truncated = Buffer.from(raw);
  truncated.writeUInt32LE(raw.length, 20); // string section past the end
  t.throws(() => Btf.fromBuffer(truncated), { instanceOf: BtfError, message: /outside the file/ });
  const badKind = Buffer.from(raw);
  badKind.writeUInt32LE((31 << 24) >>> 0, 24 + 4); // first type's info: kind 31
  t.throws(() => Btf.fromBuffer(badKind), { instanceOf: BtfError, message: /unknown BTF kind 31/ });
  t.throws(() => Btf.open('/nonexistent/btf'), { instanceOf: BtfError, message: /cannot read BTF from \/nonexistent\/btf/ });
  const btf = Btf.fromBuffer(raw);
  t.throws(() => btf.type(btf.endId), { instanceOf: BtfError, message: /no type with id/ });
});
