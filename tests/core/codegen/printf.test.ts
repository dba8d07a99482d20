// generate() on printf, without the kernel: the action in the Manifest with
// the layout of each argument in its event record, and the C that fills the
// record on the ring buffer; also the Manifest's fixed parts.
import test from 'ava';
import { compileC } from '../../../core/build/index.ts';
import { defaultConfig } from '../../../sdk/index.ts';
import { generateScript, probeFunction } from '../../../testing/fixed-env/index.ts';

test('printf: one event record per call, arguments widened and laid out after the action id', async (t) => {
  const unit = generateScript('begin { printf("%d %s %u %lld\\n", pid, comm, (int8)-1, -3); }');
  t.deepEqual(unit.manifest.actions, [{
    kind: 'printf',
    id: 0,
    format: '%d %s %u %lld\n',
    args: [
      // Integers travel as 64-bit values of their signedness; strings at their capacity.
      { type: { kind: 'int', size: 8, signed: false }, offset: 8 },
      { type: { kind: 'string', size: 16 }, offset: 16 },
      { type: { kind: 'int', size: 8, signed: true }, offset: 32 },
      { type: { kind: 'int', size: 8, signed: true }, offset: 40 },
    ],
  }]);
  t.deepEqual(unit.manifest.maps, []);
  const record = [
    '__ev0->id = 0;',
    '__ev0->f0 = ((__u64)(((__u32)(bpf_get_current_pid_tgid() >> 32))));',
    '__ev0->f1 = ({ struct bs_str_16 __comm; bpf_get_current_comm(__comm.s, sizeof(__comm.s)); __comm; });',
    '__ev0->f2 = ((__s64)((-1LL)));',
    '__ev0->f3 = (-3LL);',
  ].join(' ');
  t.is(probeFunction(unit.c), [
    'SEC("raw_tp")',
    'int bs_probe_0(void *ctx)',
    '{',
    `  ({ struct bs_event_0 *__ev0 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_0), 0); if (__ev0) { ${record} bpf_ringbuf_submit(__ev0, 0); } else { bs_drop(); } });`,
    '  return 0;',
    '}',
  ].join('\n'));
  // The record's C struct: the id, then the arguments at the offsets above.
  t.true(unit.c.includes('struct bs_event_0 {\n  __u64 id;\n  __u64 f0;\n  struct bs_str_16 f1;\n  __s64 f2;\n  __s64 f3;\n};\n'));
  t.notThrows(() => compileC(unit.c));
});

test('the Manifest names the ring buffer, the drop counter and the run-time settings', async (t) => {
  const unit = generateScript('interval:ms:100 { exit(); }');
  t.is(unit.manifest.version, 1);
  t.deepEqual(unit.manifest.actions, [{ kind: 'exit', id: 0 }]);
  t.deepEqual(unit.manifest.probes, [{ programName: 'bs_probe_0', section: 'perf_event', provider: 'interval', name: 'interval:ms:100', target: { periodNs: '100000000' } }]);
  t.deepEqual(unit.manifest.ringbuf, { cName: 'bs_events', size: defaultConfig.ringbufSize });
  t.is(unit.manifest.dropCounter, 'bs_drops');
  t.deepEqual(unit.manifest.settings, [
    { name: 'cpid', offset: 0, size: 8 },
    { name: 'start_ns', offset: 8, size: 8 },
    { name: 'ncpus', offset: 16, size: 8 },
  ]);
  t.is(unit.manifest.enums, undefined);
  // The settings struct in .rodata has that layout.
  t.true(unit.c.includes('struct bs_settings {\n  __u64 cpid;\n  __u64 start_ns;\n  __u64 ncpus;\n};'));
  t.true(unit.c.includes('} bs_events SEC(".maps");'));
  t.true(unit.c.includes('} bs_drops SEC(".maps");'));
});
