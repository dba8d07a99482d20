// The syscall table of the shared syscalls: hooks (number -> the entry point
// the tracepoints are named after) against this machine: its uapi header, its
// tracefs events, and the kernel's BTF for where thread_info.status is.
import test from 'ava';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { syscallNumbers } from '../../providers/tracepoint/syscall-table.ts';
import { syscallHook, THREAD_INFO_STATUS_OFFSET } from '../../providers/tracepoint/syscall-hooks.ts';
import { BtfKernelTypes } from '../../lib/btf/index.ts';

const UAPI = '/usr/include/x86_64-linux-gnu/asm/unistd_64.h';
const EVENTS = '/sys/kernel/tracing/events/syscalls';

test('entry points by number, where the name differs from the syscall\'s (stat runs sys_newstat)', (t) => {
  t.deepEqual(syscallNumbers('read'), [0]);
  t.deepEqual(syscallNumbers('openat'), [257]);
  t.deepEqual(syscallNumbers('newstat'), [4]);
  t.deepEqual(syscallNumbers('stat'), [], 'no 64-bit number runs sys_stat');
  t.deepEqual(syscallNumbers('sendfile64'), [40]);
  t.deepEqual(syscallNumbers('umount'), [166]);
  t.deepEqual(syscallNumbers('uretprobe'), [335]);
  t.deepEqual(syscallNumbers('pidfd_send_signal'), [424]);
  t.deepEqual(syscallNumbers('file_setattr'), [469]);
  t.deepEqual(syscallNumbers('ni_syscall'), []);
  t.deepEqual(syscallNumbers('-'), [], 'numbers without an entry point name nothing');
  t.deepEqual(syscallNumbers('openat', 'arm64'), [], 'x86-64 only');
});

(existsSync(UAPI) ? test : test.skip)('the table agrees with the uapi header, but for the entry points named otherwise', (t) => {
  const renamed: Record<string, string> = { stat: 'newstat', fstat: 'newfstat', lstat: 'newlstat', uname: 'newuname', sendfile: 'sendfile64', umount2: 'umount' };
  let compared = 0;
  for (const [, name, nr] of readFileSync(UAPI, 'utf8').matchAll(/^#define __NR_(\w+) (\d+)$/gm)) {
    const numbers = syscallNumbers(renamed[name!] ?? name!);
    // Removed syscalls (uselib, _sysctl, ...) have no entry point and no tracepoint.
    if (numbers.length === 0) continue;
    t.deepEqual(numbers, [Number(nr)], name);
    compared++;
  }
  t.true(compared > 300);
});

(existsSync(EVENTS) ? test : test.skip)('every syscall tracepoint of this kernel has its number, so all of them share the hooks', (t) => {
  const events = readdirSync(EVENTS).filter((e) => /^sys_(enter|exit)_/.test(e));
  t.true(events.length > 600);
  const unknown = events.filter((e) => syscallHook(e, 'struct x', release()) === undefined);
  t.deepEqual(unknown, []);
  t.is(syscallHook('sys_enter_openat', 'struct x', release())!.section, 'raw_tp/sys_enter');
  t.is(syscallHook('sys_exit_openat', 'struct x', release())!.section, 'raw_tp/sys_exit');
  t.deepEqual(syscallHook('sys_exit_openat', 'struct x', release())!.selectors, [257]);
  t.is(syscallHook('sys_enter_openat', 'struct x', '5.10.0'), undefined, 'thread_info had another layout');
  t.is(syscallHook('sys_enter_openat', 'struct x', undefined), undefined, 'a kernel not known (a fixed tracefs)');
  t.truthy(syscallHook('sys_enter_openat', 'struct x', '6.1.0-13-amd64'));
});

test('thread_info.status is where the hooks read it (the ia32 flag)', (t) => {
  const types = new BtfKernelTypes();
  if (!types.available) {
    t.pass('no kernel BTF here');
    return;
  }
  const task = types.byName('struct task_struct')!;
  const info = types.member(task, 'thread_info')!;
  const status = types.member(info.type, 'status')!;
  t.is(info.offset + status.offset, THREAD_INFO_STATUS_OFFSET);
  t.deepEqual(status.type, { kind: 'int', size: 4, signed: false });
});
