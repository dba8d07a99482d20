// The seam: LibbpfRuntime as the SDK's Runtime over the room's classes, with
// the kernel for real (load logs, program details, events, maps, failures as
// RuntimeErrors).
import test from 'ava';
import { RuntimeError, Services } from '../../../../sdk/index.ts';
import { createContainer } from '../../../../core/index.ts';
import { BpfError, LibbpfRuntime, libbpfRuntimePlugin } from '../../../../plugins/runtime/libbpf/index.ts';
import { bpfFixture, cannotRunReason, u32, u64s } from './helpers.ts';

const reason = cannotRunReason();
const kt = reason ? test.skip : test;
if (reason) test(`runtime-libbpf Runtime tests skipped: ${reason}`, (t) => t.pass());

const runtime = new LibbpfRuntime();

test('the plugin binds the runtime service; BpfError is the SDK\'s RuntimeError', async (t) => {
  const container = await createContainer({ plugins: [libbpfRuntimePlugin] });
  const bound = container.get(Services.Runtime);
  t.true(bound instanceof LibbpfRuntime);
  t.is(bound.name, 'libbpf');
  const e = new BpfError('thing failed', { op: 'op', errno: 1 });
  t.true(e instanceof RuntimeError);
  t.like(e, { op: 'op', errno: 1, code: 'EPERM', log: '' });
  t.is(runtime.errnoMessage(1), 'Operation not permitted');
  t.true(runtime.clockNs('boottime') > 0n);
  t.is(runtime.strftime('%Y', 0n, 16)?.length, 4);
});

kt('load with logs, program details for -v, the ring buffer as an event stream', (t) => {
  const obj = runtime.open(bpfFixture('ringbuf'), { name: 'fixture' });
  try {
    t.is(obj.name, 'fixture');
    const settings = Buffer.alloc(16);
    settings.writeBigUInt64LE(0xfeedfacen, 0);
    obj.setRodata(settings);
    const logs = obj.load({ verifierLog: 'stats', runtimeLog: true });
    t.regex(logs.verifier.get('begin')!, /processed \d+ insns/);
    t.regex(logs.all, /BEGIN PROG LOAD LOG/);
    const begin = obj.program('begin');
    t.is(begin.section, 'raw_tp');
    const details = begin.details();
    t.true(details.id! > 0);
    t.true(details.instructions! > 0);
    t.is(details.bytes, details.instructions! * 8);

    const got: bigint[] = [];
    const events = runtime.events(obj.map('events'), 4096 * 4, (view, offset) => got.push(view.getBigUint64(offset + 8, true)));
    try {
      t.is(begin.testRun(), 42);
      t.is(events.flush(), 1);
      t.deepEqual(got, [0xfeedfacen]);
    } finally {
      events.close();
    }
    const drops = obj.map('drops');
    t.like(drops, { keySize: 4, valueSize: 8, valueStride: 8, copies: 1 });
    t.deepEqual([...drops.lookup(u32(0))!], [...u64s(0)]);
  } finally {
    obj.close();
    obj.close(); // safe twice
  }
});

kt('a handler that throws stops the stream and reaches onError', async (t) => {
  const obj = runtime.open(bpfFixture('ringbuf'));
  try {
    obj.setRodata(Buffer.alloc(16));
    obj.load();
    const failure = new Error('handler failed');
    const reported = new Promise<unknown>((resolve) => {
      const events = runtime.events(obj.map('events'), 4096 * 4, () => {
        throw failure;
      }, { onError: (e) => { events.close(); resolve(e); } });
      obj.program('begin').testRun();
      events.start();
    });
    t.is(await reported, failure);
  } finally {
    obj.close();
  }
});

kt('per-CPU maps: one copy per possible CPU, each round_up(valueSize, 8) bytes', (t) => {
  const obj = runtime.open(bpfFixture('maps'));
  try {
    obj.load();
    const m = obj.map('pcpu_hash');
    t.is(m.copies, runtime.possibleCpus());
    t.is(m.valueStride, (m.valueSize + 7) & ~7);
    m.update(u32(9), Buffer.alloc(m.copies * m.valueStride, 1));
    const entries = m.entries();
    t.is(entries.length, 1);
    t.is(entries[0]!.value.byteLength, m.copies * m.valueStride);
    m.zero();
    t.true(m.lookup(u32(9))!.every((b) => b === 0));
    m.clear();
    t.deepEqual(m.entries(), []);
  } finally {
    obj.close();
  }
});

kt('failures are RuntimeErrors: missing programs and maps, verifier rejections with the log', (t) => {
  const obj = runtime.open(bpfFixture('bad'));
  try {
    t.is(t.throws(() => obj.program('nope'), { instanceOf: RuntimeError })?.code, 'ENOENT');
    t.is(t.throws(() => obj.map('nope'), { instanceOf: RuntimeError })?.code, 'ENOENT');
    t.is(obj.findMap('nope'), undefined);
    const e = t.throws(() => obj.load({ verifierLog: 'stats' }), { instanceOf: RuntimeError });
    t.is(e?.op, 'bpf_object__load');
    t.regex(e!.message, /^failed to load BPF object 'bad': Permission denied \(EACCES\)/);
    t.regex(e!.log, /libbpf: prog 'unchecked': failed to load/);
    // The statistics level (-v) still carries the rejection.
    t.regex(e!.verifierLog!, /R0 invalid mem access 'map_value_or_null'/);
  } finally {
    obj.close();
  }
});

kt('features() probes the kernel; --no-feature turns one off', (t) => {
  const features = runtime.features(new Set(['uprobe_multi']));
  t.true(features.instructionLimit > 0);
  t.true(features.probes.some(([name, ok]) => name === 'tracepoint' && ok));
  t.deepEqual(features.probes.find(([name]) => name === 'uprobe_multi'), ['uprobe_multi', false]);
  t.regex(runtime.version, /^1\.\d+$/);
});
