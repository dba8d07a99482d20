// Type queries against the running kernel's BTF (bpftool as the oracle for
// layouts) and against hand-encoded BTF for what vmlinux lacks (type tags,
// split/module BTF when no module is loaded).
import test from 'ava';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Btf, KernelBtf, BtfError, type TypeId } from '../../../lib/btf/index.ts';
import { asBpftool, bpftoolTypes, BtfBuilder, noBpftoolReason, noVmlinuxReason, stringOffsetIn, VMLINUX, type BpftoolType } from './helpers.ts';

const skip = noVmlinuxReason();
const kernelTest = skip ? test.skip : test;
const oracleTest = skip ?? noBpftoolReason() ? test.skip : test;

let shared: Btf | undefined;
const vmlinux = () => (shared ??= Btf.open(VMLINUX));
const struct = (name: string) => {
  const id = vmlinux().findByName('struct', name);
  if (id === undefined) throw new Error(`no struct ${name}`);
  return id;
};

oracleTest('member offsets and sizes agree with bpftool', (t) => {
  const btf = vmlinux();
  const types = new Map<string, BpftoolType>();
  for (const e of bpftoolTypes(VMLINUX)) if (e.kind === 'STRUCT' && !types.has(e.name)) types.set(e.name, e);
  const bpfMember = (s: string, m: string) => (types.get(s)!.members as { name: string; bits_offset: number }[]).find((x) => x.name === m)!;
  t.is(btf.member(struct('task_struct'), 'pid')!.bitOffset, bpfMember('task_struct', 'pid').bits_offset);
  t.is(btf.member(struct('task_struct'), 'pid')!.bitOffset % 8, 0);
  t.is(btf.member(struct('task_struct'), 'comm')!.bitOffset, bpfMember('task_struct', 'comm').bits_offset);
  t.is(btf.sizeof(struct('task_struct')), types.get('task_struct')!.size as number);
  t.is(btf.sizeof(struct('list_head')), 16);
  t.is(btf.alignof(struct('list_head')), 8);
  t.deepEqual(btf.members(struct('list_head')).map((m) => m.name), ['next', 'prev']);
});

kernelTest('enum values of enum pid_type', (t) => {
  const btf = vmlinux();
  const id = btf.findByName('enum', 'pid_type')!;
  t.deepEqual(
    btf.enumValues(id).map((v) => [v.name, v.value]),
    [['PIDTYPE_PID', 0n], ['PIDTYPE_TGID', 1n], ['PIDTYPE_PGID', 2n], ['PIDTYPE_SID', 3n], ['PIDTYPE_MAX', 4n]],
  );
  t.is(btf.sizeof(id), 4);
  t.throws(() => btf.enumValues(struct('list_head')), { instanceOf: BtfError, message: /is not an enum/ });
});

kernelTest('raw tracepoint arguments come from btf_trace_<name>, named by __bpf_trace_<name>', (t) => {
  const btf = vmlinux();
  const spell = (name: string) => btf.rawTracepointArgs(name)!.map((p) => btf.typeToC(p.type, p.name)).join(', ');
  t.is(spell('sched_switch'), 'bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state');
  t.is(spell('contention_begin'), 'void *lock, unsigned int flags');
  t.is(btf.rawTracepointArgs('no_such_tracepoint'), undefined);
  const tp = btf.tracepointStruct('sched_switch')!;
  t.deepEqual(btf.members(tp).map((m) => m.name), ['ent', 'prev_comm', 'prev_pid', 'prev_prio', 'prev_state', 'next_comm', 'next_pid', 'next_prio', '__data']);
  t.is(btf.typeToC(btf.member(tp, 'prev_comm')!.type), 'char[16]');
  const kernel = new KernelBtf();
  t.deepEqual(kernel.rawTracepointArgs('sched_switch')?.args.map((a) => a.name), ['preempt', 'prev', 'next', 'prev_state']);
});

kernelTest('function prototypes by name', (t) => {
  const btf = vmlinux();
  const sig = btf.funcProto('vfs_read')!;
  t.is(sig.name, 'vfs_read');
  t.deepEqual(sig.params.map((p) => p.name), ['file', 'buf', 'count', 'pos']);
  t.is(btf.typeToC(sig.params[0]!.type), 'struct file *');
  t.is(btf.typeToC(sig.returnType), 'ssize_t');
  t.false(sig.variadic);
  t.is(btf.funcProto('no_such_function_at_all'), undefined);
  t.true(btf.funcProto('_printk')!.variadic);
});

kernelTest('members inside anonymous structs and unions are found with the accumulated offset and the path', (t) => {
  const btf = vmlinux();
  // task_struct has no anonymous member on this kernel; sched_entity (task_struct.se) and mm_struct do
  const se = struct('sched_entity');
  const vlag = btf.member(se, 'vlag')!;
  t.is(vlag.path.length, 2);
  t.is(vlag.path[0]!.member.name, '');
  t.is(vlag.path[0]!.structId, se);
  t.is(vlag.path[1]!.member.name, 'vlag');
  t.is(vlag.bitOffset, vlag.path[0]!.member.bitOffset + vlag.path[1]!.member.bitOffset);
  t.is(btf.typeToC(vlag.type), 's64');
  // two levels deep: mm_struct { struct { struct { atomic_t mm_count; }; ... } }
  const mm = struct('mm_struct');
  const count = btf.member(mm, 'mm_count')!;
  t.true(count.path.length >= 2);
  t.true(count.path.slice(0, -1).every((s) => s.member.name === ''));
  t.is(count.bitOffset, count.path.reduce((sum, s) => sum + s.member.bitOffset, 0));
  const users = btf.member(mm, 'mm_users')!;
  t.true(users.bitOffset > count.bitOffset);
  t.is(btf.member(mm, 'no_such_member'), undefined);
  // and through the struct that holds it: task_struct.se.vlag
  const seMember = btf.member(struct('task_struct'), 'se')!;
  t.is(btf.resolveId(seMember.type), se);
});

kernelTest('bitfield members carry their bit offset and width', (t) => {
  const btf = vmlinux();
  const m = btf.member(struct('task_struct'), 'sched_reset_on_fork')!;
  t.is(m.bitSize, 1);
  t.is(btf.typeToC(m.type), 'unsigned int');
  const klass = btf.member(struct('task_struct'), 'init_private_fork_class');
  if (klass) t.is(klass.bitSize, 4);
});

kernelTest('typeToC spells pointers, arrays, qualifiers, typedefs and function pointers', (t) => {
  const btf = vmlinux();
  const task = struct('task_struct');
  t.is(btf.typeToC(btf.member(task, 'parent')!.type), 'struct task_struct *');
  t.is(btf.typeToC(btf.member(task, 'comm')!.type), 'char[16]');
  t.is(btf.typeToC(btf.member(task, 'comm')!.type, 'comm'), 'char comm[16]');
  t.is(btf.typeToC(btf.member(task, 'pid')!.type), 'pid_t');
  const read = btf.member(struct('file_operations'), 'read')!;
  t.is(btf.typeToC(read.type), 'ssize_t (*)(struct file *, char *, size_t, loff_t *)');
  t.is(btf.typeToC(read.type, 'read'), 'ssize_t (*read)(struct file *, char *, size_t, loff_t *)');
  t.is(btf.typeToC(btf.findByName('typedef', 'btf_trace_sched_switch')!), 'btf_trace_sched_switch');
  const proto = btf.resolve(btf.findByName('typedef', 'btf_trace_sched_switch')!);
  t.is(btf.typeToC(proto.id), 'void (*)(void *, bool, struct task_struct *, struct task_struct *, unsigned int)');
  t.deepEqual(proto.typedefs, ['btf_trace_sched_switch']);
  // const char * somewhere in the kernel: a pointer to a const char
  const charId = btf.findAllByName('char', 'int')[0]!;
  const constChar = [...btf.ownIds()].find((id) => btf.kindOf(id) === 'const' && (btf.type(id) as { type: TypeId }).type === charId)!;
  const ptr = [...btf.ownIds()].find((id) => btf.kindOf(id) === 'ptr' && (btf.type(id) as { type: TypeId }).type === constChar)!;
  t.is(btf.typeToC(ptr), 'const char *');
  t.is(btf.typeToC(ptr, 's'), 'const char *s');
  const datasec = btf.findAllByName('.data..percpu', 'datasec')[0]!;
  t.throws(() => btf.typeToC(datasec), { instanceOf: BtfError, message: /no C type spelling/ });
});

test('resolve skips typedefs and qualifiers and keeps type tags (__user)', (t) => {
  const b = new BtfBuilder();
  const char = b.int('char', 1, { signed: true, char: true });
  const constChar = b.modifier('const', char);
  const user = b.modifier('type_tag', constChar, 'user');
  const userPtr = b.ptr(user);
  const td = b.modifier('typedef', userPtr, 'ustr');
  const vol = b.modifier('volatile', td);
  const arr = b.array(char, char, 4);
  const ptrToArr = b.ptr(arr);
  const cptr = b.modifier('const', b.ptr(char));
  const fp = b.ptr(b.funcProto(userPtr, [['a', char], ['b', ptrToArr]], true));
  const btf = Btf.fromBuffer(b.build());
  const r = btf.resolve(vol);
  t.is(r.id, userPtr);
  t.deepEqual(r.typedefs, ['ustr']);
  t.true(r.isVolatile);
  t.false(r.isConst);
  const p = btf.pointee(vol)!;
  t.is(p.id, char);
  t.deepEqual(p.tags, ['user']);
  t.true(p.userSpace);
  t.true(p.isConst);
  t.false(btf.pointee(ptrToArr)!.userSpace);
  t.is(btf.pointee(char), undefined);
  t.is(btf.typeToC(userPtr, 'buf'), 'const char __attribute__((btf_type_tag("user"))) *buf');
  t.is(btf.typeToC(ptrToArr, 'p'), 'char (*p)[4]');
  t.is(btf.typeToC(cptr, 'p'), 'char *const p');
  t.is(btf.typeToC(fp, 'f'), 'const char __attribute__((btf_type_tag("user"))) *(*f)(char a, char (*b)[4], ...)');
  t.is(btf.sizeof(vol), 8);
  t.is(btf.sizeof(arr), 4);
  t.is(btf.alignof(arr), 1);
});

function splitModule(base: Btf, baseRaw: Buffer) {
  const b = new BtfBuilder({ startId: base.endId, strBase: base.strEnd });
  const task = base.findByName('struct', 'task_struct')!;
  const int = base.findAllByName('int', 'int')[0]!;
  const taskPtr = b.ptr(task);
  // `pid` is a base string: split BTF may name things with the base's strings
  const state = b.composite('struct', 'bs_mod_state', 16, [['owner', taskPtr, 0], [stringOffsetIn(baseRaw, 'pid'), int, 64]]);
  const proto = b.funcProto(0, [['', b.ptr(0)], ['', b.ptr(state)]]);
  b.modifier('typedef', b.ptr(proto), 'btf_trace_bs_mod_event');
  const named = b.funcProto(0, [['__data', b.ptr(0)], ['st', b.ptr(state)]]);
  b.func('__bpf_trace_bs_mod_event', named, 0);
  b.composite('struct', stringOffsetIn(baseRaw, 'list_head'), 8, [['only_in_module', int, 0]]); // a same-named struct
  return { raw: b.build(), task, state };
}

kernelTest('split BTF: ids and strings continue after the base; lookups reach the base', (t) => {
  const base = vmlinux();
  const baseRaw = readFileSync(VMLINUX);
  const { raw, task, state } = splitModule(base, baseRaw);
  const mod = Btf.fromBuffer(raw, { base, name: 'bs_mod' });
  t.is(mod.startId, base.endId);
  t.is(mod.findByName('struct', 'bs_mod_state'), state);
  t.is(mod.findByName('struct', 'task_struct'), task); // found in the base
  t.deepEqual(mod.members(state).map((m) => [m.name, mod.typeToC(m.type)]), [['owner', 'struct task_struct *'], ['pid', 'int']]);
  t.is(mod.member(state, 'owner') && mod.typeToC(mod.pointee(mod.member(state, 'owner')!.type)!.id), 'struct task_struct');
  t.deepEqual(mod.rawTracepointArgs('bs_mod_event')!.map((a) => [a.name, mod.typeToC(a.type)]), [['st', 'struct bs_mod_state *']]);
  // the module's own list_head comes first from the module, vmlinux's from vmlinux
  t.is(mod.findAllByName('list_head', 'struct').length, 2);
  t.is(base.findAllByName('list_head', 'struct').length, 1);
  t.is(base.findByName('struct', 'bs_mod_state'), undefined);
});

oracleTest('split BTF agrees with bpftool given the same base', (t) => {
  const base = vmlinux();
  const { raw } = splitModule(base, readFileSync(VMLINUX));
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-btf-'));
  writeFileSync(join(dir, 'bs_mod'), raw);
  const mod = Btf.open(join(dir, 'bs_mod'), base);
  const expected = bpftoolTypes(join(dir, 'bs_mod'), VMLINUX);
  t.is(expected.length, mod.count);
  for (const e of expected) t.deepEqual(asBpftool(mod, mod.type(e.id)), e);
});

kernelTest('KernelBtf searches vmlinux, then module BTF on demand', (t) => {
  const base = vmlinux();
  const { raw, state } = splitModule(base, readFileSync(VMLINUX));
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-kbtf-'));
  symlinkSync(VMLINUX, join(dir, 'vmlinux'));
  writeFileSync(join(dir, 'bs_mod'), raw);
  const kernel = new KernelBtf(dir);
  t.deepEqual(kernel.moduleNames(), ['bs_mod']);
  const task = kernel.findByName('struct', 'task_struct')!;
  t.is(task.btf, kernel.vmlinux);
  const found = kernel.findByName('struct', 'bs_mod_state')!;
  t.is(found.btf.name, 'bs_mod');
  t.is(found.id, state);
  t.is(found.btf.base, kernel.vmlinux);
  // vmlinux's list_head wins over the module's
  t.is(kernel.findByName('struct', 'list_head')!.btf, kernel.vmlinux);
  t.deepEqual(kernel.rawTracepointArgs('bs_mod_event')!.args.map((a) => a.name), ['st']);
  t.is(kernel.rawTracepointArgs('sched_switch')!.btf, kernel.vmlinux);
  t.is(kernel.findByName('struct', 'no_such_struct_anywhere'), undefined);
  t.is(kernel.funcProto('__bpf_trace_bs_mod_event')!.btf.name, 'bs_mod');
});

kernelTest('raw tracepoints are the btf_trace_ typedefs of vmlinux and of each module, by module', (t) => {
  const base = vmlinux();
  const { raw } = splitModule(base, readFileSync(VMLINUX));
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-kbtf-'));
  symlinkSync(VMLINUX, join(dir, 'vmlinux'));
  writeFileSync(join(dir, 'bs_mod'), raw);
  const all = new KernelBtf(dir).rawTracepoints();
  t.deepEqual(all.filter((r) => r.module === 'bs_mod'), [{ module: 'bs_mod', event: 'bs_mod_event' }]);
  const vmlinuxEvents = all.filter((r) => r.module === 'vmlinux').map((r) => r.event);
  t.true(vmlinuxEvents.includes('sched_switch') && vmlinuxEvents.includes('sys_enter'));
  t.false(vmlinuxEvents.some((e) => e.startsWith('sys_enter_')), 'syscall events have no raw tracepoint');
  t.deepEqual(vmlinuxEvents, [...vmlinuxEvents].sort());
  t.is(all.findIndex((r) => r.module === 'bs_mod'), all.length - 1, 'vmlinux first');
});

const realModules = (() => {
  try {
    return readdirSync('/sys/kernel/btf').filter((n) => n !== 'vmlinux');
  } catch {
    return [];
  }
})();

(realModules.length ? test : test.skip)(`a loaded module's BTF (${realModules[0] ?? 'none loaded'}) parses on top of vmlinux`, (t) => {
  const kernel = new KernelBtf();
  const mod = kernel.module(realModules[0]!)!;
  t.is(mod.startId, kernel.vmlinux.endId);
  let n = 0;
  for (const id of mod.ownIds()) {
    mod.type(id);
    n++;
  }
  t.is(n, mod.count);
});

kernelTest('name look-ups stay correct once the hash index takes over', (t) => {
  const btf = Btf.open(VMLINUX);
  const names = ['task_struct', 'list_head', 'cgroup', 'css_set', 'kernfs_node', 'mm_struct', 'file', 'inode', 'dentry', 'sk_buff', 'sock', 'page', 'sched_entity', 'pid', 'nsproxy', 'cred', 'signal_struct', 'files_struct'];
  const first = names.map((n) => btf.findAllByName(n)); // the first 16 scan, the rest use the index
  const again = names.map((n) => btf.findAllByName(n));
  t.deepEqual(again, first);
  t.true(first.every((ids) => ids.length > 0));
  t.deepEqual(btf.findAllByName('no_such_name_at_all_'), []);
  t.deepEqual(btf.findAllByName(''), []);
  t.is(btf.nameOf(first[0]![0]!), 'task_struct');
});
