import test from 'ava';
import {
  BpfObject,
  closeFd,
  onlineCpus,
  perfEventOpen,
  PerfSoftware,
  PerfType,
} from '../../../../plugins/runtime/libbpf/index.ts';
import { bpfFixture, cannotRunReason, elfFunctionOffset, runTargets, targetsBinary, u32 } from './helpers.ts';

const reason = cannotRunReason();
const kt = reason ? test.skip : test;
if (reason) test(`runtime-libbpf attach tests skipped: ${reason}`, (t) => t.pass());

const count = (obj: BpfObject, map: string, pid: number) => obj.map(map).lookup(u32(pid))?.readBigUInt64LE(0);

kt('tracepoint, raw_tp and tp_btf programs count exactly the calls of one process', (t) => {
  const obj = BpfObject.open(bpfFixture('syscalls'));
  try {
    obj.load();
    const links = [
      obj.program('on_getppid').attachTracepoint('syscalls', 'sys_enter_getppid'),
      obj.program('on_sys_enter').attachRawTracepoint('sys_enter'),
      obj.program('on_sys_enter_btf').attach(), // auto-attach from SEC("tp_btf/sys_enter")
    ];
    t.true(links.every((l) => l.fd > 0));
    const { pid } = runTargets('getppid', 1000);
    const other = runTargets('getppid', 7);
    t.is(count(obj, 'tp_counts', pid), 1000n);
    t.is(count(obj, 'raw_counts', pid), 1000n);
    t.is(count(obj, 'btf_counts', pid), 1000n);
    t.is(count(obj, 'tp_counts', other.pid), 7n);
    for (const l of links) l.destroy();
    const after = runTargets('getppid', 10);
    t.is(count(obj, 'tp_counts', after.pid), undefined, 'nothing counted once detached');
    t.is(count(obj, 'raw_counts', after.pid), undefined);
  } finally {
    obj.close();
  }
});

kt('a perf_event program runs on software cpu-clock samples on every CPU', (t) => {
  const obj = BpfObject.open(bpfFixture('perf'));
  try {
    obj.load();
    const prog = obj.program('on_tick');
    const cpus = onlineCpus();
    for (const cpu of cpus) {
      const fd = perfEventOpen({ type: PerfType.SOFTWARE, config: PerfSoftware.CPU_CLOCK, sampleFreq: 1000, cpu });
      t.true(fd > 0);
      prog.attachPerfEvent(fd); // the link owns fd now
    }
    const until = Date.now() + 150;
    while (Date.now() < until); // keep this CPU busy; idle CPUs tick too (cpu-clock counts wall time)
    const ticks = obj.map('ticks');
    const value = ticks.lookup(u32(0))!;
    t.is(value.length, ticks.valueStride);
    let total = 0n;
    for (let off = 0; off < value.length; off += 8) total += value.readBigUInt64LE(off);
    t.true(total >= 50n, `expected samples at 1000 Hz over 150 ms on ${cpus.length} CPUs, got ${total}`);
  } finally {
    obj.close();
  }
  // A perf fd never attached is the caller's to close.
  const fd = perfEventOpen({ type: PerfType.SOFTWARE, config: PerfSoftware.DUMMY, samplePeriod: 1, cpu: 0 });
  closeFd(fd);
  t.pass();
});

kt('perfEventOpen failures are BpfErrors', (t) => {
  const e = t.throws(() => perfEventOpen({ type: PerfType.SOFTWARE, config: PerfSoftware.CPU_CLOCK, samplePeriod: 1, cpu: 4096 }));
  t.is((e as any).code, 'EINVAL');
  t.is((e as any).op, 'perf_event_open');
});

kt('uprobe and uretprobe on a function of a binary', (t) => {
  const obj = BpfObject.open(bpfFixture('uprobe'));
  try {
    obj.load();
    const bin = targetsBinary();
    const offset = elfFunctionOffset(bin, 'traced_function');
    obj.program('on_call').attachUprobe(false, -1, bin, offset);
    obj.program('on_return').attachUprobe(true, -1, bin, offset);
    const { pid, stdout } = runTargets('call', 100);
    t.is(stdout.trim(), '9900'); // sum of 2i for i < 100
    t.is(count(obj, 'calls', pid), 100n);
    t.is(count(obj, 'ret_sum', pid), 9900n);
  } finally {
    obj.close();
  }
});

kt('USDT probe through bpf_program__attach_usdt', (t) => {
  const obj = BpfObject.open(bpfFixture('usdt'));
  try {
    obj.load();
    obj.program('on_tick').attachUsdt(-1, targetsBinary(), 'bpfscript', 'tick');
    const { pid } = runTargets('usdt', 50);
    t.is(count(obj, 'usdt_hits', pid), 50n);
    t.is(count(obj, 'usdt_sum', pid), 1225n, 'the probe argument is read (sum of 0..49)');
    const e = t.throws(() => obj.program('on_tick').attachUsdt(-1, targetsBinary(), 'bpfscript', 'nope'));
    t.is((e as any).code, 'ENOENT');
  } finally {
    obj.close();
  }
});

kt('an iterator program is attached and read to EOF', (t) => {
  const obj = BpfObject.open(bpfFixture('iter'));
  try {
    obj.load();
    const link = obj.program('dump_task').attachIter();
    const lines = link.read().toString('utf8').trim().split('\n');
    t.true(lines.length > 3);
    t.truthy(lines.find((l) => l.startsWith(`${process.pid} `)), 'this process is listed');
    t.true(lines.includes('2 kthreadd'));
    t.is(link.read().toString('utf8').trim().split('\n')[0], lines[0], 'each read runs the iterator again');
    link.destroy();
    t.throws(() => link.read(), { message: /destroyed/ });
  } finally {
    obj.close();
  }
});
