import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUCKET_FUNCTIONS_C,
  aggregateValueSize,
  decodeMapEntries,
  decodeString,
  decodeValue,
  histBucket,
  histBucketBounds,
  histBucketCount,
  isPerCpuMap,
  lhistBucket,
  lhistBucketBounds,
  lhistBucketCount,
  mergeAggregate,
  perCpuStride,
  valueTypeSize,
  type ValueType,
} from '../../../core/manifest/index.ts';
import { Bytes, bool, buf, i16, i32, i64, i8, mapInfo, none, ptr, record, str, tuple, u16, u32, u64, u8 } from '../../helpers/output.ts';

const dv = (b: Bytes) => b.view;

test('integers decode to bigint, signed or unsigned by type', (t) => {
  const b = new Bytes(32).u8(0, 0xff).i16(2, -2).i32(4, -3).i64(8, -4n).u64(16, 0xffffffffffffffffn);
  t.is(decodeValue(dv(b), 0, i8), -1n);
  t.is(decodeValue(dv(b), 0, u8), 255n);
  t.is(decodeValue(dv(b), 2, i16), -2n);
  t.is(decodeValue(dv(b), 2, u16), 65534n);
  t.is(decodeValue(dv(b), 4, i32), -3n);
  t.is(decodeValue(dv(b), 4, u32), 4294967293n);
  t.is(decodeValue(dv(b), 8, i64), -4n);
  t.is(decodeValue(dv(b), 16, u64), 18446744073709551615n);
  t.is(decodeValue(dv(b), 16, i64), -1n);
});

test('bool, pointer and none', (t) => {
  const b = new Bytes(16).u8(0, 0).u8(1, 1).u8(2, 7).u64(8, 0xffff8880deadbeefn);
  t.is(decodeValue(dv(b), 0, bool), false);
  t.is(decodeValue(dv(b), 1, bool), true);
  t.is(decodeValue(dv(b), 2, bool), true);
  t.is(decodeValue(dv(b), 8, ptr), 0xffff8880deadbeefn);
  t.is(decodeValue(dv(b), 0, none), null);
});

test('strings stop at the first NUL; a full buffer is truncated and gets the trailer', (t) => {
  const b = new Bytes(24).text(0, 'abc').text(8, 'abcdefgh').text(16, 'x\0yz');
  t.is(decodeValue(dv(b), 0, str(8)), 'abc');
  t.is(decodeValue(dv(b), 8, str(8)), 'abcdefgh..');
  t.is(decodeValue(dv(b), 8, str(8), { strTruncTrailer: '_xxx' }), 'abcdefgh_xxx');
  t.is(decodeValue(dv(b), 8, str(8), { strTruncTrailer: '' }), 'abcdefgh');
  t.is(decodeValue(dv(b), 16, str(4)), 'x');
  t.is(decodeValue(dv(new Bytes(4)), 0, str(4)), '');
});

test('strings: valid UTF-8 decodes as UTF-8, anything else byte per char (Latin-1)', (t) => {
  t.is(decodeString(new Uint8Array([0x68, 0xc3, 0xa9])), 'hé');
  t.is(decodeString(new Uint8Array([0x68, 0xe9, 0x80])), 'h\u00e9\u0080');
  const b = new Bytes(8).bytes(0, [0xe2, 0x82, 0xac, 0]);
  t.is(decodeValue(dv(b), 0, str(8)), '€');
});

test('buffers: u32 length then bytes, the length clamped to the capacity', (t) => {
  const b = new Bytes(16).u32(0, 3).bytes(4, [1, 2, 3, 4]);
  t.deepEqual(decodeValue(dv(b), 0, buf(8)), new Uint8Array([1, 2, 3]));
  const c = new Bytes(8).u32(0, 100).bytes(4, [9, 8]);
  t.deepEqual(decodeValue(dv(c), 0, buf(2)), new Uint8Array([9, 8]));
  t.is(valueTypeSize(buf(8)), 12);
});

test('tuples, records, structs and arrays', (t) => {
  const inner = tuple([i64, 0], [i64, 8]);
  const tt = tuple([i64, 0], [str(4), 8], [inner, 16]);
  const b = new Bytes(32).i64(0, 1n).text(8, 'foo').i64(16, 4n).i64(24, 5n);
  t.deepEqual(decodeValue(dv(b), 0, tt), [1n, 'foo', [4n, 5n]]);

  const rt = record(['a', i32, 0], ['c', str(4), 4], ['d', inner, 8]);
  const r = new Bytes(24).i32(0, 0).text(4, 'str').i64(8, 5n).i64(16, 6n);
  t.deepEqual(decodeValue(dv(r), 0, rt), { kind: 'record', fields: [['a', 0n], ['c', 'str'], ['d', [5n, 6n]]] });

  const st: ValueType = { kind: 'struct', name: 'struct Foo', fields: [{ name: 'm', type: i32, offset: 0 }, { name: 'n', type: i32, offset: 4 }], size: 8 };
  t.deepEqual(decodeValue(dv(new Bytes(8).i32(0, 2).i32(4, 3)), 0, st), { kind: 'record', fields: [['m', 2n], ['n', 3n]] });

  const at: ValueType = { kind: 'array', element: i32, length: 4, size: 16 };
  const a = new Bytes(16).i32(0, 1).i32(4, 2).i32(8, 3).i32(12, 4);
  t.deepEqual(decodeValue(dv(a), 0, at), [1n, 2n, 3n, 4n]);
  const nested: ValueType = { kind: 'array', element: { kind: 'array', element: i32, length: 2, size: 8 }, length: 2, size: 16 };
  t.deepEqual(decodeValue(dv(a), 0, nested), [[1n, 2n], [3n, 4n]]);
});

test('a struct\'s bitfields decode from their bits, among its fields in the order of their bits, signed ones sign-extended', (t) => {
  // struct { int a; int s:3; unsigned u:5; unsigned w:12; char c; } (c at byte 7)
  const st: ValueType = {
    kind: 'struct', name: 'struct Bits', size: 8,
    fields: [{ name: 'a', type: i32, offset: 0 }, { name: 'c', type: i8, offset: 7 }],
    bitfields: [
      { name: 's', type: i32, bitOffset: 32, bitSize: 3 },
      { name: 'u', type: u32, bitOffset: 35, bitSize: 5 },
      { name: 'w', type: u32, bitOffset: 40, bitSize: 12 },
    ],
  };
  // s = 0b111 (-1), u = 0b10110 (22), w = 0xabc spanning bytes 5 and 6.
  const b = new Bytes(8).i32(0, 9).u8(4, 0b10110111).u8(5, 0xbc).u8(6, 0x0a).u8(7, 5);
  t.deepEqual(decodeValue(dv(b), 0, st), { kind: 'record', fields: [['a', 9n], ['s', -1n], ['u', 22n], ['w', 0xabcn], ['c', 5n]] });
});

test('decoding honours the offset and a view into a larger buffer', (t) => {
  const big = new Uint8Array(64);
  new DataView(big.buffer).setBigInt64(40, -9n, true);
  const view = new DataView(big.buffer, 32, 16);
  t.is(decodeValue(view, 8, i64), -9n);
});

// --- per-CPU merging ------------------------------------------------------------

function perCpu(stride: number, fill: (b: Bytes, base: number) => void, cpus: number): DataView {
  const b = new Bytes(stride * cpus);
  for (let i = 0; i < cpus; i++) fill(b, i * stride);
  return b.view;
}

test('layout sizes and strides', (t) => {
  t.is(aggregateValueSize({ kind: 'count' }), 8);
  t.is(aggregateValueSize({ kind: 'sum', signed: true }), 8);
  t.is(aggregateValueSize({ kind: 'min', signed: true }), 16);
  t.is(aggregateValueSize({ kind: 'stats', signed: false }), 16);
  t.is(aggregateValueSize({ kind: 'hist', bits: 0 }), 8);
  t.is(aggregateValueSize({ kind: 'plain', type: str(12) }), 12);
  t.is(perCpuStride(12), 16);
  t.is(perCpuStride(16), 16);
  t.true(isPerCpuMap({ bpfType: 'percpu_hash' }));
  t.true(isPerCpuMap({ bpfType: 'lru_percpu_hash' }));
  t.true(isPerCpuMap({ bpfType: 'percpu_array' }));
  t.false(isPerCpuMap({ bpfType: 'hash' }));
});

test('count sums the CPUs (one view with stride, or a view per CPU)', (t) => {
  const vals = [3n, 0n, 4n];
  const one = perCpu(8, (b, o) => b.u64(o, vals[o / 8]), 3);
  t.deepEqual(mergeAggregate({ kind: 'count' }, one), { kind: 'int', value: 7n });
  const many = vals.map((v) => new Bytes(8).u64(0, v).view);
  t.deepEqual(mergeAggregate({ kind: 'count' }, many), { kind: 'int', value: 7n });
});

test('sum: signed and unsigned, wrapping at 64 bits', (t) => {
  const s = perCpu(8, (b, o) => b.i64(o, o === 0 ? -10n : 3n), 2);
  t.deepEqual(mergeAggregate({ kind: 'sum', signed: true }, s), { kind: 'int', value: -7n });
  const u = perCpu(8, (b, o) => b.u64(o, 0xffffffffffffffffn), 2);
  t.deepEqual(mergeAggregate({ kind: 'sum', signed: false }, u), { kind: 'int', value: 0xfffffffffffffffen });
});

test('min/max take only CPUs whose is_set is non-zero', (t) => {
  // CPU0: unset with a tempting value, CPU1: -5, CPU2: 7
  const layout = [
    [-100n, 0n],
    [-5n, 1n],
    [7n, 1n],
  ] as const;
  const v = perCpu(16, (b, o) => b.i64(o, layout[o / 16][0]).u64(o + 8, layout[o / 16][1]), 3);
  t.deepEqual(mergeAggregate({ kind: 'min', signed: true }, v), { kind: 'int', value: -5n });
  t.deepEqual(mergeAggregate({ kind: 'max', signed: true }, v), { kind: 'int', value: 7n });
  // unsigned: -5 is a huge value
  t.deepEqual(mergeAggregate({ kind: 'max', signed: false }, v), { kind: 'int', value: 18446744073709551611n });
  const unset = perCpu(16, (b, o) => b.i64(o, 9n), 2);
  t.deepEqual(mergeAggregate({ kind: 'min', signed: true }, unset), { kind: 'int', value: 0n });
});

test('avg/stats: totals and counts summed, average truncates toward zero', (t) => {
  const v = perCpu(16, (b, o) => (o === 0 ? b.i64(o, -7n).u64(o + 8, 1n) : b.i64(o, 2n).u64(o + 8, 1n)), 2);
  t.deepEqual(mergeAggregate({ kind: 'avg', signed: true }, v), { kind: 'stats', total: -5n, count: 2n, average: -2n });
  const w = perCpu(16, (b, o) => b.i64(o, 7n).u64(o + 8, 2n), 1);
  t.deepEqual(mergeAggregate({ kind: 'stats', signed: false }, w), { kind: 'stats', total: 7n, count: 2n, average: 3n });
  const empty = perCpu(16, () => {}, 4);
  t.deepEqual(mergeAggregate({ kind: 'stats', signed: true }, empty), { kind: 'stats', total: 0n, count: 0n, average: 0n });
  const big = perCpu(16, (b, o) => b.u64(o, 0xfffffffffffffff0n).u64(o + 8, 1n), 1);
  t.deepEqual(mergeAggregate({ kind: 'avg', signed: false }, big), { kind: 'stats', total: 0xfffffffffffffff0n, count: 1n, average: 0xfffffffffffffff0n });
});

test('plain values decode from the first (only) value', (t) => {
  const v = new Bytes(8).text(0, 'hey').view;
  t.deepEqual(mergeAggregate({ kind: 'plain', type: str(8) }, v), { kind: 'plain', value: 'hey' });
});

test('a value shorter than its layout is an error, not garbage', (t) => {
  t.throws(() => mergeAggregate({ kind: 'stats', signed: true }, new DataView(new ArrayBuffer(8))));
});

// --- whole maps -----------------------------------------------------------------

test('decodeMapEntries groups hist entries by user key into bucket arrays', (t) => {
  const map = mapInfo('@h', { kind: 'hist', bits: 0 }, u64, { keySize: 16 });
  // BPF key: user key (u64) + bucket (u64); value: one u64 count per CPU (2 CPUs).
  const entry = (key: bigint, bucket: number, counts: [bigint, bigint]) => ({
    key: new Bytes(16).u64(0, key).u64(8, BigInt(bucket)).buf,
    value: new Bytes(16).u64(0, counts[0]).u64(8, counts[1]).buf,
  });
  const out = decodeMapEntries(map, [entry(1n, 3, [1n, 1n]), entry(2n, 0, [0n, 5n]), entry(1n, 6, [0n, 1n])]);
  t.is(out.length, 2);
  const one = out.find((e) => e.key === 1n)!;
  t.is(one.value.kind, 'hist');
  if (one.value.kind !== 'hist') return;
  t.is(one.value.counts.length, histBucketCount(0));
  t.is(one.value.counts[3], 2n);
  t.is(one.value.counts[6], 1n);
  t.is(one.value.counts.reduce((a, b) => a + b, 0n), 3n);
  const two = out.find((e) => e.key === 2n)!;
  t.true(two.value.kind === 'hist' && two.value.counts[0] === 5n);
});

test('decodeMapEntries: a count in a per-CPU array slot is an entry only once counted', (t) => {
  // Two CPUs; the slot of an array always exists, so zero on every CPU means never counted.
  const slot = (a: bigint, b: bigint) => [{ key: new Bytes(4).u32(0, 0).buf, value: new Bytes(16).u64(0, a).u64(8, b).buf }];
  const counter = mapInfo('@', { kind: 'count' }, undefined, { keySize: 4, bpfType: 'percpu_array', maxEntries: 1 });
  t.deepEqual(decodeMapEntries(counter, slot(0n, 0n)), []);
  t.deepEqual(decodeMapEntries(counter, slot(0n, 3n)), [{ key: undefined, value: { kind: 'int', value: 3n } }]);
  // A hash's entry is there however it reads: zero() keeps the key with a zero count.
  const hashed = mapInfo('@', { kind: 'count' }, undefined, { keySize: 4 });
  t.deepEqual(decodeMapEntries(hashed, slot(0n, 0n)), [{ key: undefined, value: { kind: 'int', value: 0n } }]);
});

test('decodeMapEntries: a keyless histogram in a per-CPU array is keyed by the bucket; one never written is no entry', (t) => {
  // Two CPUs; every bucket of the array is read, counted or not.
  const buckets = (counts: [bigint, bigint][]) => counts.map(([a, b], i) => ({ key: new Bytes(4).u32(0, i).buf, value: new Bytes(16).u64(0, a).u64(8, b).buf }));
  const n = histBucketCount(0);
  const hist = mapInfo('@h', { kind: 'hist', bits: 0 }, undefined, { keySize: 4, bpfType: 'percpu_array', maxEntries: n });
  t.deepEqual(decodeMapEntries(hist, buckets(Array.from({ length: n }, () => [0n, 0n]))), []);
  const counted = Array.from({ length: n }, (_, i): [bigint, bigint] => (i === 3 ? [1n, 2n] : i === 7 ? [0n, 4n] : [0n, 0n]));
  const [entry, ...more] = decodeMapEntries(hist, buckets(counted));
  t.deepEqual(more, []);
  t.is(entry!.key, undefined);
  t.true(entry!.value.kind === 'hist');
  if (entry!.value.kind !== 'hist') return;
  t.is(entry!.value.counts.length, n);
  t.deepEqual(entry!.value.counts.map((c, i) => [i, c]).filter(([, c]) => c !== 0n), [[3, 3n], [7, 4n]]);
});

test('decodeMapEntries of a packed read gives the entries of the same read one by one', (t) => {
  // Three entries of a per-CPU avg map keyed by u32, 2 CPUs (16 bytes each), and a plain tuple map.
  const avg = mapInfo('@a', { kind: 'avg', signed: true }, u32, { keySize: 4, valueSize: 16 });
  const keys = new Bytes(12).u32(0, 7).u32(4, 1).u32(8, 3).buf;
  const values = new Bytes(96).i64(0, -9n).u64(8, 2n).i64(16, 3n).u64(24, 1n)
    .i64(32, 4n).u64(40, 1n).i64(48, 0n).u64(56, 0n)
    .i64(64, 10n).u64(72, 5n).i64(80, 10n).u64(88, 5n).buf;
  const packed = { keys, values, count: 3, keySize: 4, valueBytes: 32 };
  const oneByOne = [0, 1, 2].map((i) => ({ key: keys.subarray(i * 4, i * 4 + 4), value: values.subarray(i * 32, i * 32 + 32) }));
  t.deepEqual(decodeMapEntries(avg, packed), decodeMapEntries(avg, oneByOne));
  t.deepEqual(decodeMapEntries(avg, packed).map((e) => e.key), [7n, 1n, 3n]);
  const pair = tuple([i64, 0], [str(4), 8]);
  const plain = mapInfo('@p', { kind: 'plain', type: pair }, u64, { bpfType: 'hash', valueSize: 16 });
  const pk = new Bytes(16).u64(0, 1n).u64(8, 2n).buf;
  const pv = new Bytes(32).i64(0, -1n).u8(8, 0x61).i64(16, 5n).u8(24, 0x62).u8(25, 0x63).buf;
  t.deepEqual(decodeMapEntries(plain, { keys: pk, values: pv, count: 2, keySize: 8, valueBytes: 16 }), [
    { key: 1n, value: { kind: 'plain', value: [-1n, 'a'] } },
    { key: 2n, value: { kind: 'plain', value: [5n, 'bc'] } },
  ]);
});

test('decodeMapEntries: a scalar hist has only the bucket in its key', (t) => {
  const map = mapInfo('@h', { kind: 'lhist', min: 0n, max: 10n, step: 2n }, undefined, { keySize: 8, bpfType: 'hash' });
  const raw = [{ key: new Bytes(8).u64(0, 6n).buf, value: new Bytes(8).u64(0, 4n).buf }];
  const out = decodeMapEntries(map, raw);
  t.is(out.length, 1);
  t.is(out[0].key, undefined);
  t.deepEqual(out[0].value, { kind: 'hist', counts: [0n, 0n, 0n, 0n, 0n, 0n, 4n] });
});

test('decodeMapEntries decodes keys and merges values', (t) => {
  const keyType = tuple([i64, 0], [str(8), 8]);
  const map = mapInfo('@c', { kind: 'count' }, keyType, { keySize: 16 });
  const raw = [{ key: new Bytes(16).i64(0, -1n).text(8, 'foo').buf, value: new Bytes(16).u64(0, 2n).u64(8, 3n).buf }];
  t.deepEqual(decodeMapEntries(map, raw), [{ key: [-1n, 'foo'], value: { kind: 'int', value: 5n } }]);
});

// --- buckets --------------------------------------------------------------------

test('histBucket with bits 0 (the classic log2 buckets)', (t) => {
  const cases: [bigint, number][] = [
    [-1n, 0],
    [-(2n ** 63n), 0],
    [0n, 1],
    [1n, 2],
    [2n, 3],
    [3n, 3],
    [4n, 4],
    [7n, 4],
    [8n, 5],
    [20n, 6],
    [1023n, 11],
    [1024n, 12],
    [1500n, 12],
    [2_000_000n, 22],
    [5_000_000_000n, 34],
    [2n ** 62n, 64],
    [2n ** 63n - 1n, 64],
    [2n ** 64n - 1n, 0], // an unsigned value with the top bit set is negative as s64
  ];
  for (const [v, b] of cases) t.is(histBucket(v, 0), b, `value ${v}`);
  t.is(histBucketCount(0), 65);
});

test('histBucket with bits > 0 splits each power of two', (t) => {
  const k1: [bigint, number][] = [[0n, 1], [3n, 4], [4n, 5], [5n, 5], [6n, 6], [7n, 6], [8n, 7], [11n, 7], [12n, 8], [16n, 9]];
  for (const [v, b] of k1) t.is(histBucket(v, 1), b, `k=1 value ${v}`);
  const k2: [bigint, number][] = [[7n, 8], [8n, 9], [9n, 9], [10n, 10], [14n, 12], [16n, 13], [19n, 13], [20n, 14], [4096n, 45]];
  for (const [v, b] of k2) t.is(histBucket(v, 2), b, `k=2 value ${v}`);
  t.is(histBucket(2n ** 63n - 1n, 5), histBucketCount(5) - 1);
  t.is(histBucketCount(5), 59 * 32 + 1);
});

test('every value lies inside the bounds of its hist bucket', (t) => {
  const values: bigint[] = [0n, 1n, 2n, 3n, 5n, 63n, 64n, 65n, 1000n, 4095n, 4096n, 123456789n, 2n ** 40n + 7n, 2n ** 62n + 12345n, 2n ** 63n - 1n];
  for (let i = 0; i < 200; i++) values.push(BigInt(Math.floor(Math.random() * 2 ** 52)) << BigInt(Math.floor(Math.random() * 11)));
  for (let k = 0; k <= 5; k++) {
    for (const v of values) {
      const b = histBucket(v, k);
      const { lo, hi } = histBucketBounds(b, k);
      t.true(lo !== undefined && lo <= v && v < hi, `k=${k} v=${v} bucket ${b} [${lo}, ${hi})`);
    }
    t.deepEqual(histBucketBounds(0, k), { hi: 0n });
  }
});

test('lhistBucket and its bounds', (t) => {
  const cases: [bigint, number][] = [[-1n, 0], [0n, 1], [1n, 1], [2n, 2], [3n, 2], [7n, 4], [9n, 5], [10n, 6], [11n, 6], [20n, 6]];
  for (const [v, b] of cases) t.is(lhistBucket(v, 0n, 10n, 2n), b, `value ${v}`);
  t.is(lhistBucketCount(0n, 10n, 2n), 7);
  // max - min not a multiple of step: the last in-range bucket and the overflow are one
  t.is(lhistBucket(9n, 0n, 10n, 3n), 4);
  t.is(lhistBucket(10n, 0n, 10n, 3n), 4);
  t.is(lhistBucket(100n, 0n, 10n, 3n), 4);
  t.is(lhistBucketCount(0n, 10n, 3n), 5);
  t.deepEqual(lhistBucketBounds(0, 0n, 10n, 2n), { hi: 0n });
  t.deepEqual(lhistBucketBounds(1, 0n, 10n, 2n), { lo: 0n, hi: 2n });
  t.deepEqual(lhistBucketBounds(5, 0n, 10n, 2n), { lo: 8n, hi: 10n });
  t.deepEqual(lhistBucketBounds(6, 0n, 10n, 2n), { lo: 10n });
  t.is(lhistBucket(-15n, -20n, 20n, 10n), 1);
});

function have(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('BUCKET_FUNCTIONS_C compiles for the BPF target (clang)', (t) => {
  const clang = ['clang-19', 'clang'].find(have);
  if (!clang) {
    t.pass('clang not installed: skipped');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bucket-'));
  try {
    const src = `${BUCKET_FUNCTIONS_C}\nunsigned long long f(long long n, unsigned int k, long long a, long long b, long long c)\n{ return __bt_hist_bucket(n, k) + __bt_lhist_bucket(n, a, b, c); }\n`;
    writeFileSync(join(dir, 'b.c'), src);
    execFileSync(clang, ['-target', 'bpf', '-O2', '-Wall', '-Werror', '-c', '-o', join(dir, 'b.o'), join(dir, 'b.c')]);
    t.pass();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('BUCKET_FUNCTIONS_C computes what histBucket/lhistBucket compute (gcc)', (t) => {
  if (!have('gcc')) {
    t.pass('gcc not installed: skipped');
    return;
  }
  const values: bigint[] = [-(2n ** 63n), -5n, -1n, 0n, 1n, 2n, 3n, 4n, 7n, 8n, 9n, 10n, 11n, 12n, 15n, 16n, 17n, 31n, 32n, 33n, 63n, 64n, 100n, 1000n, 1023n, 1024n, 4097n];
  for (let p = 5; p < 63; p += 3) values.push(2n ** BigInt(p) - 1n, 2n ** BigInt(p), 2n ** BigInt(p) + 2n ** BigInt(p - 3) + 1n);
  values.push(2n ** 63n - 1n);
  const lhists: [bigint, bigint, bigint][] = [[0n, 10n, 2n], [0n, 10n, 3n], [-20n, 20n, 10n], [0n, 10240n, 1024n]];
  const dir = mkdtempSync(join(tmpdir(), 'bucket-'));
  try {
    const src = `#include <stdio.h>\n${BUCKET_FUNCTIONS_C}\nint main(void) {\n  static const long long v[] = { ${values.map((x) => (x === -(2n ** 63n) ? '(-9223372036854775807LL - 1)' : `${x}LL`)).join(', ')} };\n  for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {\n    for (unsigned k = 0; k <= 5; k++) printf("%llu ", __bt_hist_bucket(v[i], k));\n${lhists.map(([mn, mx, st]) => `    printf("%llu ", __bt_lhist_bucket(v[i], ${mn}LL, ${mx}LL, ${st}LL));\n`).join('')}    printf("\\n");\n  }\n  return 0;\n}\n`;
    writeFileSync(join(dir, 'b.c'), src);
    execFileSync('gcc', ['-O2', '-Wall', '-Werror', '-o', join(dir, 'b'), join(dir, 'b.c')]);
    const lines = execFileSync(join(dir, 'b'), { encoding: 'utf8' }).trim().split('\n');
    t.is(lines.length, values.length);
    values.forEach((v, i) => {
      const expected = [...[0, 1, 2, 3, 4, 5].map((k) => histBucket(v, k)), ...lhists.map(([mn, mx, st]) => lhistBucket(v, mn, mx, st))];
      t.deepEqual(lines[i].trim().split(' ').map(Number), expected, `value ${v}`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
