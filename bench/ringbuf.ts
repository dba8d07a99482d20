// Ring buffer read throughput of the mmap reader (RingBufferReader / EventPump).
// Run as root: node --import tsx bench/ringbuf.ts [liveEvents]
//
// 1. decode: fill a 16 MiB ring in the kernel (raw_tp `emit` via test_run, 16-byte
//    payloads), then time draining it with a decoder that reads every field.
// 2. live: a child process calls getppid() in a tight loop; a tracepoint program
//    writes one 24-byte record per call; an EventPump drains every 10 ms. Reports
//    records/s, kernel drops and the worst event-loop stall.

import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BpfObject, EventPump, RingBufferReader } from '../plugins/runtime/libbpf/index.ts';
import { bpfFixture, targetsBinary, u32, u64s } from '../tests/plugins/runtime/libbpf/helpers.ts';

const RING = 16 << 20;
const liveEvents = Number(process.argv[2] ?? 2_000_000);

function open(fixedSize: number) {
  const obj = BpfObject.open(bpfFixture('ringbuf'));
  const settings = Buffer.alloc(16);
  settings.writeUInt32LE(fixedSize, 8);
  obj.setRodata(settings);
  obj.setMapMaxEntries('events', RING);
  obj.load();
  const ring = obj.map('events');
  const reader = new RingBufferReader(ring.fd, ring.maxEntries);
  const drops = () => obj.map('drops').lookup(u32(0))!.readBigUInt64LE(0);
  return { obj, reader, drops };
}

async function decode(): Promise<void> {
  const { obj, reader, drops } = open(16);
  const emit = obj.program('emit');
  const perFill = Math.floor((RING / 24) * 0.95);
  let sum = 0;
  const onRecord = (v: DataView, off: number, len: number) => {
    // what a generated decoder does: read every field, u64 as two u32s
    sum += v.getUint32(off, true) + v.getUint32(off + 4, true) * 2 ** 32 + v.getUint32(off + 8, true) + len;
  };
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    emit.testRun({ ctx: u64s(perFill, round * perFill, 0) });
    const start = performance.now();
    const n = reader.drain(onRecord);
    const ms = performance.now() - start;
    if (n !== perFill) throw new Error(`drained ${n}, expected ${perFill}`);
    rates.push(n / (ms / 1000));
  }
  rates.sort((a, b) => a - b);
  console.log(
    `decode: ${perFill} records (16 B payload + 8 B header) per pass from a 16 MiB ring: median ${(rates[2]! / 1e6).toFixed(1)} M records/s ` +
      `(min ${(rates[0]! / 1e6).toFixed(1)}, max ${(rates[4]! / 1e6).toFixed(1)}), drops ${drops()}`,
  );
  void sum;
  reader.close();
  obj.close();
}

async function live(): Promise<void> {
  const { obj, reader, drops } = open(0);
  obj.program('on_getppid').attachTracepoint('syscalls', 'sys_enter_getppid');
  let received = 0;
  const pump = new EventPump(reader, (v, off) => {
    if (v.getUint32(off, true) === 3) received++;
  }, { intervalMs: 10 });
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  pump.start();
  const start = performance.now();
  const child = spawn(targetsBinary(), ['getppid', String(liveEvents)], { stdio: 'ignore' });
  await new Promise((r) => child.on('exit', r));
  const producedMs = performance.now() - start;
  await new Promise((r) => setTimeout(r, 30));
  pump.stop();
  pump.flush();
  const ms = performance.now() - start;
  lag.disable();
  const dropped = Number(drops());
  console.log(
    `live: ${received} of ${liveEvents} getppid events (+${dropped} dropped) in ${ms.toFixed(0)} ms ` +
      `(child ran ${producedMs.toFixed(0)} ms): ${(received / (producedMs / 1000) / 1e6).toFixed(2)} M events/s, ` +
      `${pump.passes} passes, longest pass ${pump.longestPassMs.toFixed(1)} ms, ` +
      `event-loop delay max ${(lag.max / 1e6).toFixed(1)} ms p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms`,
  );
  reader.close();
  await obj.closeAsync();
}

await decode();
await live();
