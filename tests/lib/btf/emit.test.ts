// The CO-RE declaration emitter: what it declares, how it names things that
// would clash, and that clang agrees with every layout (the emitted
// _Static_asserts check each used member's offset and each struct's size).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Btf, CDeclarations, emitCDeclarations, BtfError } from '../../../lib/btf/index.ts';
import { BtfBuilder, noVmlinuxReason, VMLINUX } from './helpers.ts';

const CLANG = '/usr/bin/clang-19';
const skipClang = existsSync(CLANG) && existsSync('/usr/include/bpf/bpf_core_read.h') ? undefined : 'needs clang-19 and libbpf-dev headers';
const kernelTest = noVmlinuxReason() ?? skipClang ? test.skip : test;
const clangTest = skipClang ? test.skip : test;

const HEADERS = ['linux/bpf.h', 'bpf/bpf_helpers.h', 'bpf/bpf_core_read.h', 'bpf/bpf_tracing.h'].map((h) => `#include <${h}>`).join('\n');

/** Compiles a C unit (for BPF, or a host program); `errors` is '' when clang accepts it. */
function compile(source: string, target: 'bpf' | 'host' = 'bpf'): { errors: string; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-emit-'));
  const file = join(dir, 'unit.c');
  const output = join(dir, target === 'bpf' ? 'unit.o' : 'unit');
  writeFileSync(file, source);
  const flags = target === 'bpf' ? ['-O2', '-g', '-target', 'bpf', '-D__TARGET_ARCH_x86', '-I/usr/include/x86_64-linux-gnu', '-c'] : ['-O1', '-Wno-ignored-attributes', '-Wno-unknown-attributes'];
  const r = spawnSync(CLANG, [...flags, file, '-o', output], { encoding: 'utf8' });
  return { errors: r.status === 0 ? '' : r.stderr, output };
}

const clangErrors = (source: string) => compile(source).errors;

let shared: Btf | undefined;
const vmlinux = () => (shared ??= Btf.open(VMLINUX));
const id = (kind: 'struct' | 'union' | 'enum' | 'typedef', name: string) => vmlinux().findByName(kind, name)!;

kernelTest('members of anonymous unions and structs are written inline, only those used', (t) => {
  const btf = vmlinux();
  const decls = new CDeclarations(btf);
  decls.usePath(id('struct', 'task_struct'), ['se', 'vlag']);
  decls.usePath(id('struct', 'task_struct'), ['mm', 'mm_count', 'counter']);
  const text = decls.emit();
  t.regex(text, /struct sched_entity \{\s*char bs_pad_0\[\d+\];\s*union \{\s*s64 vlag;\s*\};/);
  t.notRegex(text, /vprot/); // the other member of vlag's union
  t.regex(text, /typedef struct \{\s*int counter;\s*\} atomic_t;/);
  t.regex(text, /_Static_assert\(__builtin_offsetof\(struct mm_struct, mm_count\) == \d+/);
  t.is(clangErrors(`${HEADERS}\n${text}`), '');
});

kernelTest('bitfields, enums (named, anonymous, packed, 64-bit) and function pointers compile', (t) => {
  const btf = vmlinux();
  const decls = new CDeclarations(btf);
  decls.useMember(id('struct', 'task_struct'), 'sched_reset_on_fork');
  decls.useMember(id('struct', 'task_struct'), 'init_private_fork_class');
  decls.usePath(id('struct', 'ctl_table_header'), ['type']); // an anonymous enum
  decls.usePath(id('struct', 'inode'), ['i_write_hint']); // a 1-byte enum
  decls.usePath(id('struct', 'net_iov'), ['type']); // an enum64
  decls.usePath(id('struct', 'file_operations'), ['read']); // a function pointer
  decls.useType(id('enum', 'pid_type'));
  const text = decls.emit();
  t.regex(text, /unsigned int sched_reset_on_fork : 1;/);
  t.regex(text, /enum pid_type \{\s*PIDTYPE_PID = 0,\s*PIDTYPE_TGID = 1,/);
  t.regex(text, /enum bs_kenum_\d+ \{/);
  t.regex(text, /enum rw_hint \{[^}]*\} __attribute__\(\(packed\)\);/);
  t.regex(text, /ssize_t \(\*read\)\(struct file \*, char \*, size_t, loff_t \*\);/);
  t.regex(text, /^struct file;$/m);
  t.is(clangErrors(`${HEADERS}\n${text}`), '');
});

kernelTest('names the BPF headers define are flavoured with ___bs (libbpf ignores the suffix)', (t) => {
  const btf = vmlinux();
  const decls = new CDeclarations(btf);
  decls.usePath(id('struct', 'bpf_map'), ['map_type']); // enum bpf_map_type is also in linux/bpf.h
  decls.useMember(id('struct', 'bpf_map_info'), 'id'); // a uapi struct, also in linux/bpf.h
  decls.useMember(id('struct', 'kernfs_node'), 'id'); // u64 -> __u64, which the headers define differently for BPF
  const text = decls.emit();
  t.regex(text, /struct bpf_map_info___bs \{/);
  t.regex(text, /enum bpf_map_type___bs \{\s*BPF_MAP_TYPE_UNSPEC___bs = 0,/);
  t.regex(text, /typedef __u64___bs u64;/);
  t.is(decls.spell(btf.findByName('struct', 'bpf_map_info')!), 'struct bpf_map_info___bs');
  t.is(decls.tagOf(id('struct', 'bpf_map')), 'bpf_map');
  t.is(clangErrors(`${HEADERS}\n${text}\nint uses_both(struct bpf_map_info *uapi, struct bpf_map_info___bs *kernel) { return uapi->id + kernel->id; }`), '');
  // our own names, and names the caller reserves, are avoided too
  const own = new CDeclarations(btf, { reserved: ['task_struct'] });
  own.useMember(id('struct', 'task_struct'), 'pid');
  t.regex(own.emit(), /struct task_struct___bs \{/);
  t.is(own.spell(btf.findByName('struct', 'task_struct')!, 't'), 'struct task_struct___bs t');
});

kernelTest('whole structs round-trip through clang: every member spelled, every offset asserted', (t) => {
  const btf = vmlinux();
  const names = ['task_struct', 'mm_struct', 'file', 'sk_buff', 'sock', 'inode', 'page', 'bpf_prog', 'cgroup', 'trace_event_raw_sched_switch'];
  const { text } = emitCDeclarations(btf, names.map((n) => ({ type: btf.findByName('struct', n)!, allMembers: true })));
  const asserts = text.match(/_Static_assert/g)?.length ?? 0;
  t.true(asserts > 500, `${asserts} asserts`);
  t.is(clangErrors(`${HEADERS}\n${text}`), '');
});

kernelTest('spell() declares what it names; emit() is repeatable', (t) => {
  const btf = vmlinux();
  const decls = new CDeclarations(btf);
  const args = btf.rawTracepointArgs('sched_switch')!;
  const params = args.map((a) => decls.spell(a.type, a.name));
  t.deepEqual(params, ['bool preempt', 'struct task_struct *prev', 'struct task_struct *next', 'unsigned int prev_state']);
  const text = decls.emit();
  t.regex(text, /^struct task_struct;$/m);
  t.regex(text, /typedef _Bool bool;/);
  t.is(decls.emit(), text);
  t.is(clangErrors(`${HEADERS}\n${text}\nint f(${params.join(', ')}) { return prev_state + preempt; }`), '');
  t.is(new CDeclarations(btf).emit(), '');
});

kernelTest('misuse is a BtfError naming the type', (t) => {
  const decls = new CDeclarations(vmlinux());
  t.throws(() => decls.useMember(id('struct', 'task_struct'), 'no_such_member'), { instanceOf: BtfError, message: "struct task_struct [" + id('struct', 'task_struct') + "] has no member named 'no_such_member'" });
  t.throws(() => decls.usePath(id('struct', 'task_struct'), ['pid', 'x']), { instanceOf: BtfError, message: /pid_t .* is not a struct or union/ });
});

clangTest('bitfields and gaps land on the exact bits (host program reads a known pattern)', (t) => {
  const b = new BtfBuilder();
  const uint = b.int('unsigned int', 4);
  const uchar = b.int('unsigned char', 1);
  const ushort = b.int('short unsigned int', 2);
  const ull = b.int('long long unsigned int', 8);
  const flags = b.composite('struct', 'flags', 16, [
    ['a', uint, 0],
    ['b', uint, 33, 3],
    ['c', uint, 36, 5],
    ['d', uchar, 42, 2],
    ['e', ushort, 48],
    ['f', uint, 68, 7],
    ['g', ull, 110, 13],
  ]);
  const btf = Btf.fromBuffer(b.build());
  const decls = new CDeclarations(btf, { layoutAsserts: false });
  for (const m of ['b', 'd', 'f', 'g', 'e']) decls.useMember(flags, m);
  const text = decls.emit();
  const pattern = Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff);
  const program = `#include <stdio.h>\n${text}\nint main(void) {\n  static unsigned char bytes[16] __attribute__((aligned(8))) = { ${pattern.join(', ')} };\n  struct flags *p = (struct flags *)bytes;\n  printf("%u %u %u %llu %u %zu\\n", p->b, p->d, p->f, (unsigned long long)p->g, p->e, sizeof(struct flags));\n  return 0;\n}\n`;
  const { errors, output } = compile(program, 'host');
  t.is(errors, '');
  const out = spawnSync(output, { encoding: 'utf8' }).stdout.trim();
  const all = pattern.reduce((v, byte, i) => v | (BigInt(byte) << BigInt(8 * i)), 0n);
  const bits = (off: number, n: number) => ((all >> BigInt(off)) & ((1n << BigInt(n)) - 1n)).toString();
  t.is(out, [bits(33, 3), bits(42, 2), bits(68, 7), bits(110, 13), bits(48, 16), '16'].join(' '));
});

clangTest('packed structs keep their misaligned members (asserted by clang)', (t) => {
  const b = new BtfBuilder();
  const char = b.int('char', 1, { signed: true, char: true });
  const int = b.int('int', 4, { signed: true });
  const packed = b.composite('struct', 'pk', 5, [['a', char, 0], ['b', int, 8]]);
  const outer = b.composite('struct', 'holder', 7, [['x', char, 0], ['p', packed, 8], ['y', char, 48]]);
  const btf = Btf.fromBuffer(b.build());
  t.true(btf.isPacked(packed));
  t.is(btf.alignof(packed), 1);
  const decls = new CDeclarations(btf);
  decls.usePath(outer, ['p', 'b']);
  decls.useMember(outer, 'y');
  const text = decls.emit();
  t.regex(text, /struct pk \{[^}]*\} __attribute__\(\(packed\)\);/s);
  t.regex(text, /_Static_assert\(__builtin_offsetof\(struct pk, b\) == 1,/);
  t.is(clangErrors(`${HEADERS}\n${text}`), '');
});

clangTest('header-names.ts matches the installed BPF headers', (t) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-header-names.ts', '--check'], { encoding: 'utf8', cwd: new URL('../../..', import.meta.url).pathname });
  t.is(r.status, 0, r.stderr);
});
