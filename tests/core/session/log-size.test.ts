// A load that failed because a program's verifier log did not fit log_size:
// bpftrace's message naming the program as bpftrace does, the log and the
// size to raise with -v; other failures are left as they are.
import test from 'ava';
import { trimmedLogError, upstreamProgramName } from '../../../core/session/log-size.ts';
import { RuntimeError, type Manifest } from '../../../sdk/index.ts';

const manifest = {
  probes: [
    { programName: 'bs_probe_0', name: 'tracepoint:syscalls:sys_enter_read' },
    { programName: 'bs_probe_1', name: 'begin' },
  ],
} as unknown as Manifest;

const enospc = (program?: string) =>
  new RuntimeError('failed to load', { op: 'bpf_object__load', errno: 28, code: 'ENOSPC', verifierLog: 'v', ...(program ? { program } : {}) });

test("a probe's program is named as bpftrace names it: the probe name as an identifier, its place from 1", (t) => {
  t.is(upstreamProgramName(manifest, 'bs_probe_0'), 'tracepoint_syscalls_sys_enter_read_1');
  t.is(upstreamProgramName(manifest, 'bs_probe_1'), 'begin_2');
  t.is(upstreamProgramName(manifest, 'other'), undefined);
});

test('with -v: the error, the kernel log and the warning that names the size', (t) => {
  const e = trimmedLogError(enospc('bs_probe_1'), manifest, 2, true);
  t.is(e?.message, [
    'Error loading BPF program for begin_2. Error code: -28 (No space left on device).',
    'Kernel error log: ',
    'v',
    'WARNING: Kernel log seems to be trimmed. This may be due to buffer not being big enough, try increasing the BPFTRACE_LOG_SIZE environment variable beyond the current value of 2 bytes. Or, add the configuration `config = { log_size = N; }` to the script.',
  ].join('\n'));
});

test('without -v: the error points at -v', (t) => {
  t.is(trimmedLogError(enospc('bs_probe_0'), manifest, 2, false)?.message, 'Error loading BPF program for tracepoint_syscalls_sys_enter_read_1. Error code: -28 (No space left on device). Use -v for full kernel error log.');
});

test('another error, or ENOSPC with no program named, is not this one', (t) => {
  t.is(trimmedLogError(enospc(), manifest, 2, true), undefined);
  t.is(trimmedLogError(new RuntimeError('x', { op: 'bpf_object__load', errno: 13, code: 'EACCES', program: 'bs_probe_0' }), manifest, 2, true), undefined);
  t.is(trimmedLogError(new Error('x'), manifest, 2, true), undefined);
});
