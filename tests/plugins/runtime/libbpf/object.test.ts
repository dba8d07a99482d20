import test from 'ava';
import { readFileSync } from 'node:fs';
import { BpfError, BpfObject } from '../../../../plugins/runtime/libbpf/index.ts';
import { bpfFixture, cannotRunReason, runTargets, u32 } from './helpers.ts';

const reason = cannotRunReason();
const kt = reason ? test.skip : test;
if (reason) test(`runtime-libbpf object tests skipped: ${reason}`, (t) => t.pass());

kt('open lists programs (by function name, with section) and maps', (t) => {
  const obj = BpfObject.open(bpfFixture('syscalls'));
  try {
    t.is(obj.name, 'syscalls');
    t.deepEqual(
      obj.programs().map((p) => [p.name, p.section]),
      [
        ['on_getppid', 'tracepoint/syscalls/sys_enter_getppid'],
        ['on_sys_enter', 'raw_tp/sys_enter'],
        ['on_sys_enter_btf', 'tp_btf/sys_enter'],
      ],
    );
    const names = obj.maps().map((m) => m.name);
    t.deepEqual(names.slice(0, 3), ['tp_counts', 'raw_counts', 'btf_counts']);
    t.truthy(obj.findMap('.rodata'), '.rodata is found by its section name');
    const m = obj.map('tp_counts');
    t.is(m.typeName, 'hash');
    t.is(m.keySize, 4);
    t.is(m.valueSize, 8);
    t.is(m.maxEntries, 1024);
    t.is(m.fd, -1, 'no fd before load');
    t.is(obj.program('on_getppid').fd, -1);
    t.is(obj.findProgram('nope'), undefined);
    const e = t.throws(() => obj.program('nope'), { instanceOf: BpfError });
    t.is(e?.code, 'ENOENT');
    t.throws(() => obj.map('nope'), { instanceOf: BpfError });
  } finally {
    obj.close();
  }
});

kt('openBuffer opens an in-memory image under the given name', (t) => {
  const image = readFileSync(bpfFixture('syscalls'));
  const obj = BpfObject.openBuffer(image, 'from_memory');
  try {
    t.is(obj.name, 'from_memory');
    obj.load();
    t.true(obj.program('on_getppid').fd > 0);
  } finally {
    obj.close();
  }
});

kt('open of a missing or malformed file is a BpfError', (t) => {
  const missing = t.throws(() => BpfObject.open('/nonexistent/x.bpf.o'), { instanceOf: BpfError });
  t.is(missing?.code, 'ENOENT');
  t.regex(missing!.message, /failed to open BPF object '\/nonexistent\/x\.bpf\.o': No such file or directory \(ENOENT\)/);
  const junk = t.throws(() => BpfObject.openBuffer(Buffer.from('not an ELF file at all'), 'junk'), { instanceOf: BpfError });
  t.truthy(junk?.code);
  t.regex(junk!.log, /libbpf:/, 'libbpf explains itself in the captured log');
});

kt('setRodata sets the const volatile settings before load; the map sizes can change', (t) => {
  const obj = BpfObject.open(bpfFixture('syscalls'));
  try {
    const initial = obj.map('.rodata').initialValue();
    t.is(initial.readBigUInt64LE(0), 1n, 'compiled default: increment = 1');
    const settings = Buffer.alloc(8);
    settings.writeBigUInt64LE(5n, 0);
    obj.setRodata(settings);
    t.is(obj.map('.rodata').initialValue().readBigUInt64LE(0), 5n);
    t.throws(() => obj.setRodata(Buffer.alloc(64)), { instanceOf: RangeError });
    obj.setMapMaxEntries('tp_counts', 77);
    t.is(obj.map('tp_counts').maxEntries, 77);
    obj.load();
    t.throws(() => obj.setRodata(settings), { message: /before load/ });
    t.throws(() => obj.setMapMaxEntries('tp_counts', 5), { message: /before load/ });
    const link = obj.program('on_getppid').attachTracepoint('syscalls', 'sys_enter_getppid');
    const { pid } = runTargets('getppid', 300);
    link.destroy();
    t.is(obj.map('tp_counts').lookup(u32(pid))?.readBigUInt64LE(0), 1500n, '300 calls * increment 5');
    t.is(obj.map('tp_counts').maxEntries, 77);
  } finally {
    obj.close();
  }
});

kt('a verifier rejection is a BpfError with the verifier log, not a crash', (t) => {
  const obj = BpfObject.open(bpfFixture('bad'));
  try {
    const e = t.throws(() => obj.load(), { instanceOf: BpfError });
    t.is(e?.op, 'bpf_object__load');
    t.is(e?.code, 'EACCES');
    t.regex(e!.message, /^failed to load BPF object 'bad': Permission denied \(EACCES\)\nverifier log \(last \d+ lines\):/);
    t.regex(e!.message, /R0 invalid mem access 'map_value_or_null'/);
    t.regex(e!.verifierLog!, /bad\.bpf\.c:16/, 'line info points at the source');
    t.regex(e!.log, /libbpf: prog 'unchecked': failed to load/);
    t.false(obj.loaded);
  } finally {
    obj.close();
  }
  t.true(obj.closed);
});

kt('attaching to a tracepoint that does not exist is a BpfError', (t) => {
  const obj = BpfObject.open(bpfFixture('syscalls'));
  try {
    obj.load();
    const e = t.throws(() => obj.program('on_getppid').attachTracepoint('syscalls', 'sys_enter_no_such_call'), {
      instanceOf: BpfError,
    });
    t.is(e?.code, 'ENOENT');
    t.is(e?.op, 'bpf_program__attach_tracepoint');
    t.regex(e!.message, /cannot attach program 'on_getppid' to tracepoint:syscalls:sys_enter_no_such_call/);
    t.regex(e!.log, /failed to determine tracepoint 'syscalls\/sys_enter_no_such_call'/);
    const raw = t.throws(() => obj.program('on_sys_enter').attachRawTracepoint('no_such_raw_tp'), { instanceOf: BpfError });
    t.is(raw?.code, 'ENOENT');
    t.is(obj.links.length, 0);
  } finally {
    obj.close();
  }
});

kt('attach before load, and use after close, are refused without touching freed memory', (t) => {
  const obj = BpfObject.open(bpfFixture('syscalls'));
  const prog = obj.program('on_sys_enter');
  const map = obj.map('raw_counts');
  t.throws(() => prog.attachRawTracepoint('sys_enter'), { message: /needs a loaded object/ });
  t.throws(() => map.lookup(u32(1)), { message: /needs a loaded object/ });
  obj.load();
  t.throws(() => obj.load(), { message: /already loaded/ });
  const link = prog.attach();
  t.is(obj.links.length, 1);
  obj.close();
  t.true(link.destroyed, 'close() destroys links left');
  t.notThrows(() => obj.close(), 'double close is safe');
  t.notThrows(() => link.destroy(), 'double destroy is safe');
  t.is(link.fd, -1);
  t.throws(() => map.lookup(u32(1)), { message: /is closed/ });
  t.throws(() => prog.fd, { message: /is closed/ });
  t.throws(() => obj.maps(), { message: /is closed/ });
});

kt('closeAsync destroys links concurrently, then closes', async (t) => {
  const obj = BpfObject.open(bpfFixture('syscalls'));
  obj.load();
  const links = [
    obj.program('on_getppid').attachTracepoint('syscalls', 'sys_enter_getppid'),
    obj.program('on_sys_enter').attachRawTracepoint('sys_enter'),
  ];
  await obj.closeAsync();
  t.true(obj.closed);
  t.true(links.every((l) => l.destroyed));
  await t.notThrowsAsync(() => obj.closeAsync());
});
