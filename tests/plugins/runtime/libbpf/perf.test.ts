import test from 'ava';
import koffi from 'koffi';
import {
  BpfError,
  BpfObject,
  errnoName,
  extractVerifierLog,
  numPossibleCpus,
  onlineCpus,
  parseCpuList,
  perfEventAttr,
  PERF_ATTR_SIZE,
  PerfSoftware,
  PerfType,
  verifierTail,
  refusedHelper,
  libbpfVersion,
} from '../../../../plugins/runtime/libbpf/index.ts';
import { bpfFixture, cannotRunReason } from './helpers.ts';

test('perf_event_attr layout', (t) => {
  const a = perfEventAttr({ type: PerfType.SOFTWARE, config: PerfSoftware.CPU_CLOCK, sampleFreq: 99, cpu: 0, disabled: true });
  t.is(a.length, PERF_ATTR_SIZE);
  t.is(a.readUInt32LE(0), 1, 'type');
  t.is(a.readUInt32LE(4), 128, 'size');
  t.is(a.readBigUInt64LE(8), 0n, 'config');
  t.is(a.readBigUInt64LE(16), 99n, 'sample_freq');
  t.is(a.readBigUInt64LE(40), (1n << 0n) | (1n << 10n), 'disabled | freq');
  const b = perfEventAttr({ type: PerfType.BREAKPOINT, config: 0, samplePeriod: 1, cpu: 0, bpType: 2, config1: 0x1000n, config2: 8n });
  t.is(b.readBigUInt64LE(16), 1n, 'sample_period');
  t.is(b.readBigUInt64LE(40), 0n);
  t.is(b.readUInt32LE(52), 2, 'bp_type');
  t.is(b.readBigUInt64LE(56), 0x1000n, 'bp_addr');
  t.is(b.readBigUInt64LE(64), 8n, 'bp_len');
  t.throws(() => perfEventAttr({ type: 1, config: 0, sampleFreq: 1, samplePeriod: 1, cpu: 0 }), { instanceOf: TypeError });
});

test('CPU lists', (t) => {
  t.deepEqual(parseCpuList('0-3,5,7-8\n'), [0, 1, 2, 3, 5, 7, 8]);
  t.deepEqual(parseCpuList('0'), [0]);
  t.throws(() => parseCpuList('x'));
  const online = onlineCpus();
  t.true(online.length >= 1);
  t.true(numPossibleCpus() >= online.length);
});

test('errno names and verifier log helpers', (t) => {
  t.is(errnoName(22), 'EINVAL');
  t.is(errnoName(-13), 'EACCES');
  t.is(errnoName(95), 'EOPNOTSUPP');
  t.is(errnoName(524), 'ENOTSUPP');
  t.is(errnoName(4007), 'LIBBPF_ERRNO__VERIFY');
  const log = "libbpf: prog 'x': -- BEGIN PROG LOAD LOG --\na\n\nb\nc\n-- END PROG LOAD LOG --\nlibbpf: failed\n";
  t.is(extractVerifierLog(log), 'a\n\nb\nc');
  t.deepEqual(verifierTail('a\n\nb\nc', 2), ['b', 'c']);
  t.is(extractVerifierLog('nothing here'), undefined);
  t.is(refusedHelper('80: (b7) r3 = 14\n81: (85) call bpf_probe_write_user#36\nprogram of this type cannot use helper bpf_probe_write_user#36\nprocessed 81 insns'), 'bpf_probe_write_user');
  t.is(refusedHelper('37: (85) call bpf_d_path#147\nhelper call is not allowed in probe\n'), 'bpf_d_path');
  t.is(refusedHelper('R1 type=scalar expected=ptr_'), undefined);
  const refused = new BpfError('failed to load', { op: 'load', errno: 22, log: `-- BEGIN PROG LOAD LOG --\n1: (85) call bpf_d_path#147\nhelper call is not allowed in probe\n-- END PROG LOAD LOG --\n` });
  t.is(refused.message.split('\n').slice(0, 2).join('\n'), 'failed to load: Invalid argument (EINVAL)\nhelper bpf_d_path not allowed in probe');
  const e = new BpfError('thing failed', { op: 'op', errno: 2 });
  t.is(e.message, 'thing failed: No such file or directory (ENOENT)');
  t.is(e.name, 'BpfError');
});

const reason = cannotRunReason();
(reason ? test.skip : test)('the libbpf print callback is registered only during calls', (t) => {
  t.regex(libbpfVersion(), /^1\.\d+$/);
  const before = koffi.stats().callbacks;
  const obj = BpfObject.open(bpfFixture('bad'));
  t.throws(() => obj.load());
  obj.close();
  t.is(koffi.stats().callbacks, before);
});
