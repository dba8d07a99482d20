import test from 'ava';
import { BpfError, BpfObject, EventPump, RingBufferReader } from '../../../../plugins/runtime/libbpf/index.ts';
import { bpfFixture, cannotRunReason, u32, u64s } from './helpers.ts';

const reason = cannotRunReason();
const kt = reason ? test.skip : test;
if (reason) test(`runtime-libbpf ring buffer tests skipped: ${reason}`, (t) => t.pass());

interface Opened {
  obj: BpfObject;
  reader: RingBufferReader;
  drops: () => bigint;
}

function openRing(ringSize: number, settings: Buffer = Buffer.alloc(16)): Opened {
  const obj = BpfObject.open(bpfFixture('ringbuf'));
  obj.setRodata(settings);
  obj.setMapMaxEntries('events', ringSize);
  obj.load();
  const events = obj.map('events');
  t_assert(events.typeName === 'ringbuf');
  const reader = new RingBufferReader(events.fd, events.maxEntries);
  return { obj, reader, drops: () => obj.map('drops').lookup(u32(0))!.readBigUInt64LE(0) };
}

function t_assert(cond: boolean): void {
  if (!cond) throw new Error('assertion failed');
}

function close(o: Opened): void {
  o.reader.close();
  o.obj.close();
}

/** Checks one record of the `emit` program: u64 seq, u32 size, bytes (seq + k) & 0xff. Returns seq. */
function checkEmitted(view: DataView, offset: number, length: number): bigint {
  const seq = view.getBigUint64(offset, true);
  const size = view.getUint32(offset + 8, true);
  if (size !== length) throw new Error(`record ${seq}: size field ${size} != length ${length}`);
  if (length !== 12 + Number(seq % 41n)) throw new Error(`record ${seq}: length ${length}`);
  for (let k = 12; k < length; k++) {
    if (view.getUint8(offset + k) !== Number((seq + BigInt(k)) & 0xffn)) throw new Error(`record ${seq}: byte ${k}`);
  }
  return seq;
}

kt('a begin-style raw_tp program runs through test_run and its record is read', (t) => {
  const settings = Buffer.alloc(16);
  settings.writeBigUInt64LE(0xfeedfacen, 0);
  const o = openRing(4096 * 4, settings);
  try {
    const begin = o.obj.program('begin');
    t.is(begin.section, 'raw_tp');
    t.is(begin.testRun(), 42, 'the program return value');
    const got: bigint[][] = [];
    const n = o.reader.drain((v, off, len) => {
      t.is(len, 24);
      got.push([v.getBigUint64(off, true), v.getBigUint64(off + 8, true), v.getBigUint64(off + 16, true)]);
    });
    t.is(n, 1);
    t.deepEqual(got, [[1n, 0xfeedfacen, 0n]], 'action id 1 and the .rodata setting');
    t.is(o.reader.drain(() => t.fail()), 0, 'nothing left');
    t.is(o.reader.pendingBytes(), 0);
    // What does not work, as BpfErrors: auto-attach without a target, test_run of a tracepoint program.
    t.is(t.throws(() => begin.attach(), { instanceOf: BpfError })?.code, 'EOPNOTSUPP');
    t.is(t.throws(() => o.obj.program('on_getppid').testRun(), { instanceOf: BpfError })?.code, 'ENOTSUPP');
  } finally {
    close(o);
  }
});

kt('test_run of a raw_tp program that reads its context needs ctx_in', (t) => {
  const o = openRing(4096);
  try {
    const echo = o.obj.program('echo_ctx');
    const e = t.throws(() => echo.testRun(), { instanceOf: BpfError });
    t.is(e?.code, 'EINVAL', 'ctx_size_in (0) < the highest context offset the program reads');
    t.is(echo.testRun({ ctx: u64s(1234) }), 7);
    t.is(echo.testRun({ ctx: Buffer.alloc(96) }), 7, '12 u64 arguments: the maximum');
    t.is(t.throws(() => echo.testRun({ ctx: Buffer.alloc(104) }), { instanceOf: BpfError })?.code, 'EINVAL');
    t.is(echo.testRun({ ctx: u64s(5), cpu: 0 }), 7, 'BPF_F_TEST_RUN_ON_CPU');
    const args: bigint[] = [];
    o.reader.drain((v, off) => args.push(v.getBigUint64(off + 16, true)));
    t.deepEqual(args, [1234n, 0n, 5n]);
  } finally {
    close(o);
  }
});

kt('records wrap around the ring end; discarded records are skipped; order and bytes are kept', (t) => {
  const o = openRing(4096); // one page: sizes 12..52 (+8 header, 8-aligned) straddle the end often
  try {
    const emit = o.obj.program('emit');
    let next = 0n; // next non-discarded seq expected
    let seq = 0;
    let records = 0;
    let bytes = 0;
    let straddling = 0;
    const discardEvery = 7;
    for (let round = 0; round < 400; round++) {
      const count = 1 + (round % 60); // up to ~60 * 56 bytes: under a page per round
      emit.testRun({ ctx: u64s(count, seq, discardEvery) });
      seq += count;
      o.reader.drain((v, off, len) => {
        const s = checkEmitted(v, off, len);
        if (s % BigInt(discardEvery) === 0n) throw new Error(`discarded record ${s} delivered`);
        while (next % BigInt(discardEvery) === 0n) next++;
        if (s !== next) throw new Error(`expected seq ${next}, got ${s}`);
        next++;
        records++;
        bytes += len;
        if (off + len > 4096) straddling++; // payload crosses the end: read through the double mapping
      });
    }
    t.is(o.drops(), 0n);
    t.is(records, seq - Math.ceil(seq / discardEvery));
    t.true(bytes > 50 * 4096, `moved ${bytes} bytes through a 4096-byte ring`);
    t.true(straddling > 10, `${straddling} records straddled the end of the ring`);
  } finally {
    close(o);
  }
});

kt('a full ring drops in the kernel (counted) and the reader carries on', (t) => {
  const o = openRing(4096);
  try {
    const emit = o.obj.program('emit');
    emit.testRun({ ctx: u64s(500, 0, 0) }); // ~16 KiB into a 4 KiB ring
    const dropped = o.drops();
    t.true(dropped > 0n);
    let n = 0;
    let last = -1n;
    o.reader.drain((v, off, len) => {
      const s = checkEmitted(v, off, len);
      t.true(s > last);
      last = s;
      n++;
    });
    t.is(BigInt(n) + dropped, 500n, 'every record was either delivered or counted as dropped');
    emit.testRun({ ctx: u64s(10, 1000, 0) });
    const after: bigint[] = [];
    o.reader.drain((v, off, len) => after.push(checkEmitted(v, off, len)));
    t.deepEqual(after, Array.from({ length: 10 }, (_, i) => 1000n + BigInt(i)));
  } finally {
    close(o);
  }
});

kt('drain(limit) stops early; a throwing handler consumes up to its record', (t) => {
  const o = openRing(4096 * 4);
  try {
    o.obj.program('emit').testRun({ ctx: u64s(20, 0, 0) });
    const seqs: bigint[] = [];
    const h = (v: DataView, off: number, len: number) => seqs.push(checkEmitted(v, off, len));
    t.is(o.reader.drain(h, 5), 5);
    t.is(o.reader.drain(h, 5), 5);
    t.throws(() =>
      o.reader.drain((v, off) => {
        if (v.getBigUint64(off, true) === 12n) throw new Error('boom');
        seqs.push(v.getBigUint64(off, true));
      }),
    );
    t.is(o.reader.drain(h), 7);
    t.deepEqual(seqs, [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n, 13n, 14n, 15n, 16n, 17n, 18n, 19n]);
  } finally {
    close(o);
  }
});

kt('drain(deadline) stops soon after the deadline even when each record is slow; the rest stays queued', (t) => {
  const o = openRing(4096 * 4);
  try {
    o.obj.program('emit').testRun({ ctx: u64s(100, 0, 0) });
    const seqs: bigint[] = [];
    const slow = (v: DataView, off: number, len: number) => {
      seqs.push(checkEmitted(v, off, len));
      const until = performance.now() + 1;
      while (performance.now() < until);
    };
    // Past at once: the clock is looked at every 4 records.
    t.is(o.reader.drain(slow, Infinity, performance.now()), 4);
    t.true(o.reader.pendingBytes() > 0);
    t.is(o.reader.drain(slow), 96, 'the rest, in order');
    t.deepEqual(seqs, Array.from({ length: 100 }, (_, i) => BigInt(i)));
  } finally {
    close(o);
  }
});

kt('EventPump: a pass of slow records gives the event loop back within its budget', (t) => {
  const o = openRing(4096 * 4);
  try {
    o.obj.program('emit').testRun({ ctx: u64s(200, 0, 0) });
    let n = 0;
    const pump = new EventPump(o.reader, () => {
      n++;
      const until = performance.now() + 1;
      while (performance.now() < until);
    }, { maxPassMs: 4 });
    // The whole ring takes 200 ms to handle; the pass ends after its 4 ms and at most 4 more records.
    t.true(pump.pass(), 'records are left for the next pass');
    t.true(n <= 4 + 4, `${n} records in one pass`);
    t.true(pump.longestPassMs < 100, `${pump.longestPassMs} ms`);
    while (pump.pass());
    t.is(n, 200);
  } finally {
    close(o);
  }
});

kt('EventPump drains on a timer while events arrive, flush() gets the rest', async (t) => {
  const o = openRing(4096 * 16);
  try {
    const emit = o.obj.program('emit');
    let received = 0;
    let last = -1n;
    const pump = new EventPump(o.reader, (v, off, len) => {
      const s = checkEmitted(v, off, len);
      if (s <= last) throw new Error('out of order');
      last = s;
      received++;
    }, { intervalMs: 2 });
    pump.start();
    let seq = 0;
    for (let i = 0; i < 40; i++) {
      emit.testRun({ ctx: u64s(100, seq, 0) }); // ~4 KiB per burst, 64 KiB ring
      seq += 100;
      await new Promise((r) => setTimeout(r, 3));
    }
    emit.testRun({ ctx: u64s(50, seq, 0) });
    seq += 50;
    pump.stop();
    pump.flush();
    t.is(o.drops(), 0n);
    t.is(received, seq);
    t.is(pump.records, seq);
    t.true(pump.passes > 5, `${pump.passes} passes`);
    t.false(pump.running);
  } finally {
    close(o);
  }
});

kt('EventPump reports handler errors through onError and stops', async (t) => {
  const o = openRing(4096);
  try {
    o.obj.program('begin').testRun();
    const error = await new Promise<unknown>((resolve) => {
      const pump = new EventPump(o.reader, () => {
        throw new Error('decode failed');
      }, { intervalMs: 1, onError: resolve });
      pump.start();
    });
    t.is((error as Error).message, 'decode failed');
  } finally {
    close(o);
  }
});

kt('reader close is idempotent and later use is refused; bad sizes are refused', (t) => {
  const o = openRing(4096);
  o.reader.close();
  t.notThrows(() => o.reader.close());
  t.throws(() => o.reader.drain(() => {}), { message: /closed/ });
  t.throws(() => new RingBufferReader(o.obj.map('events').fd, 3000), { instanceOf: RangeError });
  const e = t.throws(() => new RingBufferReader(o.obj.map('drops').fd, 4096), { instanceOf: BpfError });
  t.is(e?.op, 'mmap', 'an array map without BPF_F_MMAPABLE cannot be mapped');
  o.obj.close();
});
