// uprobe_multi links: the BPF_LINK_CREATE attr laid out by hand (libbpf 1.1
// cannot make these links), how programs of the uprobe.multi sections load,
// and the kernel feature probe.
import test from 'ava';
import { AttachType, ProgType, uprobeMultiAttr, uprobeMultiLoadType, uprobeMultiSupported, UPROBE_MULTI_SECTIONS } from '../../../../plugins/runtime/libbpf/index.ts';

test('the uprobe_multi link attr: program, attach type, then path, offsets, cookies, count, flags, pid', (t) => {
  const attr = uprobeMultiAttr({ progFd: 7, path: 0x1111n, offsets: 0x2222n, cookies: 0x3333n, count: 3, retprobe: false, pid: 42 });
  t.is(attr.length, 64);
  // Byte for byte: prog_fd, target_fd, attach_type 48 (BPF_TRACE_UPROBE_MULTI), flags; then link_create.uprobe_multi.
  t.is(
    attr.toString('hex'),
    [
      '07000000', '00000000', '30000000', '00000000',
      '1111000000000000', // path
      '2222000000000000', // offsets
      '0000000000000000', // ref_ctr_offsets: none
      '3333000000000000', // cookies
      '03000000', // cnt
      '00000000', // flags
      '2a000000', // pid
      '00000000',
    ].join(''),
  );
  const ret = uprobeMultiAttr({ progFd: 7, path: 1n, offsets: 2n, cookies: 3n, count: 1, retprobe: true, pid: -1 });
  t.is(ret.readUInt32LE(52), 1, 'BPF_F_UPROBE_MULTI_RETURN');
  t.is(ret.readUInt32LE(56), 0, 'no pid: every process');
});

test('uprobe.multi programs load as kprobe programs, for BPF_TRACE_UPROBE_MULTI only where the kernel has the links', (t) => {
  t.deepEqual([...UPROBE_MULTI_SECTIONS], ['uprobe.multi', 'uretprobe.multi']);
  t.deepEqual(uprobeMultiLoadType('uretprobe.multi', true), { type: ProgType.KPROBE, expectedAttachType: AttachType.UPROBE_MULTI });
  t.deepEqual(uprobeMultiLoadType('uprobe.multi', false), { type: ProgType.KPROBE, expectedAttachType: 0 });
  t.is(uprobeMultiLoadType('uprobe', true), undefined);
});

test('the feature probe: this kernel (6.6 or later) has uprobe_multi; BPFSCRIPT_NO_UPROBE_MULTI=1 says it has not', (t) => {
  t.true(uprobeMultiSupported());
  process.env.BPFSCRIPT_NO_UPROBE_MULTI = '1';
  try {
    t.false(uprobeMultiSupported());
  } finally {
    delete process.env.BPFSCRIPT_NO_UPROBE_MULTI;
  }
});
