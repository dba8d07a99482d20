// `comm` in codegen (fixed test environment): read from the task at the
// offset the kernel types give for task_struct.comm, through one file-scope
// reader; the get_current_comm helper when they give none or another size.
import test from 'ava';
import { fixedKernelTypes, generateScript, probeFunction } from '../../../testing/fixed-env/index.ts';
import type { KernelTypes } from '../../../sdk/index.ts';

const withComm = (layout: { offset: number; size: number } | undefined): KernelTypes => ({
  ...fixedKernelTypes,
  memberLayout: (s, m) => (s === 'task_struct' && m === 'comm' ? layout : undefined),
});

test('comm reads the task at the offset of task_struct.comm, in one reader shared by every use', (t) => {
  const unit = generateScript('begin { @[comm] = count(); printf("%s\\n", comm); } interval:s:1 { @[comm] = count(); }', { kernelTypes: withComm({ offset: 1752, size: 16 }) });
  t.is(unit.c.split('static __always_inline struct bs_str_16 bs_current_comm(void)').length, 2, 'declared once');
  t.true(unit.c.includes('const __u64 *c = (const __u64 *)((const char *)bpf_get_current_task_btf() + 1752);'));
  t.false(unit.c.includes('bpf_get_current_comm('));
  t.true(probeFunction(unit.c, 0).includes('struct bs_str_16 __key0 = bs_current_comm();'));
  t.true(probeFunction(unit.c, 0).includes('= bs_current_comm(); bpf_ringbuf_submit'));
  t.true(probeFunction(unit.c, 1).includes('struct bs_str_16 __key0 = bs_current_comm();'), 'a perf_event program reads it too');
});

test('comm falls back to the helper without a layout or with an unexpected size', (t) => {
  for (const layout of [undefined, { offset: 1752, size: 32 }]) {
    const unit = generateScript('begin { @[comm] = count(); }', { kernelTypes: withComm(layout) });
    t.false(unit.c.includes('bs_current_comm'));
    t.true(probeFunction(unit.c).includes('struct bs_str_16 __key0 = ({ struct bs_str_16 __comm; bpf_get_current_comm(__comm.s, sizeof(__comm.s)); __comm; });'));
  }
});
