import test from 'ava';
import { BpfError, BpfObject, MapUpdate, numPossibleCpus } from '../../../../plugins/runtime/libbpf/index.ts';
import { bpfFixture, cannotRunReason, u32, u64s } from './helpers.ts';

const reason = cannotRunReason();
const kt = reason ? test.skip : test;
if (reason) test(`runtime-libbpf map tests skipped: ${reason}`, (t) => t.pass());

function withMaps(fn: (obj: BpfObject) => void): void {
  const obj = BpfObject.open(bpfFixture('maps'));
  try {
    obj.load();
    fn(obj);
  } finally {
    obj.close();
  }
}

const key64 = (k: number | bigint) => u64s(k);

kt('lookup, update, delete of single entries', (t) =>
  withMaps((obj) => {
    const m = obj.map('big_hash');
    t.is(m.lookup(key64(5)), undefined);
    m.update(key64(5), u64s(50));
    t.is(m.lookup(key64(5))!.readBigUInt64LE(0), 50n);
    t.throws(() => m.update(key64(5), u64s(1), MapUpdate.NOEXIST), { instanceOf: BpfError, message: /EEXIST/ });
    t.throws(() => m.update(key64(6), u64s(1), MapUpdate.EXIST), { instanceOf: BpfError, message: /ENOENT/ });
    t.true(m.delete(key64(5)));
    t.false(m.delete(key64(5)));
    // Wrong sizes would let the kernel read or write past the buffer: refused up front.
    t.throws(() => m.lookup(u32(5)), { instanceOf: RangeError });
    t.throws(() => m.update(key64(5), u32(1)), { instanceOf: RangeError });
  }));

kt('entries() of a map filled in the kernel: lookup_batch and get_next_key agree', (t) =>
  withMaps((obj) => {
    obj.program('fill_hash').testRun({ ctx: u64s(20000, 1) });
    const m = obj.map('big_hash');
    const batched = m.entries({ method: 'batch', batchSize: 1000 });
    const walked = m.entries({ method: 'iterate' });
    t.is(batched.count, 20000);
    t.is(walked.count, 20000);
    const seen = new Set<bigint>();
    for (let i = 0; i < batched.count; i++) {
      const k = batched.keys.readBigUInt64LE(i * 8);
      t.is(batched.values.readBigUInt64LE(i * 8), k * 3n);
      seen.add(k);
    }
    t.is(seen.size, 20000);
    t.is(Math.min(...[...seen].map(Number)), 1);
    t.is(Math.max(...[...seen].map(Number)), 20000);
    const walkedKeys = new Set<bigint>();
    for (let i = 0; i < walked.count; i++) walkedKeys.add(walked.keys.readBigUInt64LE(i * 8));
    t.deepEqual(walkedKeys, seen);
    const tiny = m.entries({ batchSize: 1 }); // hash buckets larger than the batch: retried with larger ones
    t.is(tiny.count, 20000);
  }));

kt('per-CPU maps return round_up(valueSize, 8) bytes per possible CPU', (t) =>
  withMaps((obj) => {
    const ncpu = numPossibleCpus();
    const bump = obj.program('bump_percpu');
    t.is(bump.testRun({ ctx: u64s(10), cpu: 0 }), 0, 'runs on the CPU asked for (returns smp_processor_id)');
    if (ncpu > 1) t.is(bump.testRun({ ctx: u64s(100), cpu: 1 }), 1);

    const h = obj.map('pcpu_hash');
    t.true(h.isPerCpu);
    t.is(h.valueSize, 4);
    t.is(h.valueStride, 8 * ncpu);
    const v2 = h.lookup(u32(2))!;
    t.is(v2.length, 8 * ncpu);
    t.is(v2.readUInt32LE(0), 20, 'cpu 0: 10 * key 2');
    if (ncpu > 1) t.is(v2.readUInt32LE(8), 200, 'cpu 1: 100 * key 2');
    const all = h.entries();
    t.is(all.count, 3);
    t.is(all.values.length, 3 * 8 * ncpu);

    const a = obj.map('pcpu_array');
    t.is(a.typeName, 'percpu_array');
    const e = a.entries();
    t.is(e.count, 4, 'arrays list every index');
    for (let i = 0; i < 4; i++) {
      t.is(e.keys.readUInt32LE(i * 4), i);
      t.is(e.values.readBigUInt64LE(i * 8 * ncpu), BigInt(10 + i));
      if (ncpu > 1) t.is(e.values.readBigUInt64LE(i * 8 * ncpu + 8), BigInt(100 + i));
    }
  }));

kt('clear() deletes every key; zero() keeps keys and zeroes values (arrays are zeroed by clear)', (t) =>
  withMaps((obj) => {
    obj.program('fill_hash').testRun({ ctx: u64s(5000, 100) });
    obj.program('bump_percpu').testRun({ ctx: u64s(3), cpu: 0 });
    const big = obj.map('big_hash');
    big.zero();
    const z = big.entries();
    t.is(z.count, 5000);
    t.true(z.values.every((b) => b === 0));
    big.clear();
    t.is(big.count(), 0);
    t.notThrows(() => big.clear(), 'clearing an empty map');

    const h = obj.map('pcpu_hash');
    h.zero();
    t.is(h.entries().count, 3);
    t.true(h.entries().values.every((b) => b === 0));
    h.clear();
    t.is(h.entries().count, 0);

    const arr = obj.map('plain_array');
    arr.update(u32(3), u64s(33));
    arr.clear();
    const ae = arr.entries();
    t.is(ae.count, 8);
    t.true(ae.values.every((b) => b === 0));
  }));

kt('a 100k-entry hash map reads with lookup_batch', (t) =>
  withMaps((obj) => {
    obj.program('fill_hash').testRun({ ctx: u64s(100000, 0) });
    const m = obj.map('big_hash');
    const start = performance.now();
    const e = m.entries();
    const ms = performance.now() - start;
    t.is(e.count, 100000);
    t.log(`lookup_batch: 100k entries in ${ms.toFixed(1)} ms`);
  }));
