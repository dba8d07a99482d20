// The clang-based extraction: a script's C definitions and preprocessor
// lines compiled to BTF, with and without kernel BTF, located errors, the
// cache; and the value types made of the BTF, checked against the host C
// compiler's layout.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Before anything computes the cache folder: this file's extractions get their own.
process.env.BPFSCRIPT_CACHE_DIR = mkdtempSync(join(tmpdir(), 'bs-ctypes-test-'));

const { parse } = await import('../../../../core/syntax/index.ts');
const { CompileError } = await import('../../../../core/diagnostics/index.ts');
const { Btf, BtfKernelTypes, VMLINUX_PATH } = await import('../../../../lib/btf/index.ts');
const { cItems, extractCTypes, ScriptTypes } = await import('../../../../plugins/compiler/c-types/index.ts');

const haveBtf = existsSync(VMLINUX_PATH);
const btfTest = haveBtf ? test : test.skip;
let vmlinux: ReturnType<typeof Btf.open> | undefined;
const kernelBtf = () => (vmlinux ??= Btf.open());

/** The C items of a script (parsed as bpfscript parses it), the probe added. */
function items(c: string, file = 'stdin') {
  return cItems(parse(`${c}\nbegin { }`, file));
}

function errorOf(f: () => unknown): { message: string; span?: { line: number; col: number; endCol: number; file: string } } {
  try {
    f();
  } catch (e) {
    if (e instanceof CompileError) return e.diagnostics[0]!;
    throw e;
  }
  throw new Error('no error');
}

const DEFS = `
struct node { struct node *next; int value; };
struct sample {
  int a;
  char name[10];
  unsigned int low : 3, mid : 5;
  union { int as_int; unsigned char bytes[4]; };
  struct { short x, y; } point;
  struct node *list;
  long long big;
  enum color { RED = 1, GREEN = 2 } color;
};
union U { int i; char c[8]; };
typedef struct { int q; long r; } anon_t;
typedef unsigned short port_t;
enum { ANON_ONE = 1, ANON_TWO };
#define FOO 10
`;

test('definitions reach BTF: structs, unions, enums, typedefs, anonymous enums, macros', (t) => {
  const x = extractCTypes(items(DEFS));
  t.deepEqual([...x.scan.tags].sort(), ['enum color', 'struct node', 'struct sample', 'union U']);
  t.deepEqual([...x.scan.typedefs].sort(), ['anon_t', 'port_t']);
  t.is(x.btf.sizeof(x.btf.findByName('struct', 'sample')!), 48);
  t.is(x.btf.sizeof(x.btf.findByName('typedef', 'anon_t')!), 16);
  t.deepEqual(x.btf.enumValues(x.btf.findByName('enum', 'color')!).map((v) => [v.name, v.value]), [['RED', 1n], ['GREEN', 2n]]);
  t.deepEqual([...x.anonymousValues], [['ANON_ONE', 1n], ['ANON_TWO', 2n]]);
  t.is(x.scan.macros.get('FOO')?.body, '10');
  t.is(x.scan.macros.get('FOO')?.line, 17);
});

test('value types agree with the host C compiler', (t) => {
  const types = new ScriptTypes(new BtfKernelTypes(), extractCTypes(items(DEFS)));
  const sample = types.byName('struct sample')!;
  if (sample.kind !== 'struct') return t.fail();
  const members = ['a', 'name', 'as_int', 'bytes', 'point', 'list', 'big', 'color'];
  const program = `#include <stdio.h>\n#include <stddef.h>\n${DEFS}\nint main(void) { printf("%zu %zu${' %zu'.repeat(members.length)}\\n", sizeof(struct sample), sizeof(anon_t)${members.map((m) => `, offsetof(struct sample, ${m})`).join('')}); return 0; }\n`;
  const dir = mkdtempSync(join(tmpdir(), 'bs-layout-'));
  writeFileSync(join(dir, 'l.c'), program);
  execFileSync('cc', ['-o', join(dir, 'l'), join(dir, 'l.c')]);
  const [size, anonSize, ...offsets] = execFileSync(join(dir, 'l'), { encoding: 'utf8' }).trim().split(' ').map(Number);
  t.is(sample.size, size);
  t.is(types.byName('anon_t')?.kind === 'struct' ? (types.byName('anon_t') as { size: number }).size : -1, anonSize);
  members.forEach((m, i) => t.is(types.member(sample, m)?.offset, offsets[i], m));
  // `fields` (a whole value's layout) never overlap: of the anonymous union only its first member.
  t.deepEqual(sample.fields.map((f) => [f.name, f.offset]), [['a', 0], ['name', 4], ['as_int', 16], ['point', 20], ['list', 24], ['big', 32], ['color', 40]]);
});

test('script types: pointers, typedefs, bitfields, enums, and the kernel behind them', (t) => {
  const kernel = new BtfKernelTypes();
  const types = new ScriptTypes(kernel, extractCTypes(items(`${DEFS}\nstruct holder { struct task_struct *task; struct node n; };`)));
  const sample = types.byName('struct sample')!;
  // A pointer to a script struct names it and has no BTF id (that means vmlinux).
  t.deepEqual(types.member(sample, 'list')?.type, { kind: 'pointer', pointee: 'struct node' });
  t.deepEqual(types.member({ kind: 'pointer', pointee: 'struct node' }, 'value'), { name: 'value', type: { kind: 'int', size: 4, signed: true }, offset: 8 });
  t.deepEqual(types.member(sample, 'mid'), { name: 'mid', type: { kind: 'int', size: 4, signed: false }, offset: 14, bitfield: { bitOffset: 115, bitSize: 5 } });
  t.deepEqual(types.members(sample).map((m) => m.name), ['a', 'name', 'low', 'mid', 'as_int', 'bytes', 'point', 'list', 'big', 'color']);
  t.deepEqual(types.member(sample, 'bytes')?.type, { kind: 'array', element: { kind: 'int', size: 1, signed: false }, length: 4, size: 4 });
  t.deepEqual(types.member(sample, 'color')?.type, { kind: 'int', size: 4, signed: false, enumName: 'color' });
  t.deepEqual(types.byName('port_t'), { kind: 'int', size: 2, signed: false });
  t.is(types.byName('union U')?.kind === 'struct' && (types.byName('union U') as { name: string }).name, 'union U');
  t.deepEqual([...types.enumValues('color')!].sort(), [[1n, 'RED'], [2n, 'GREEN']]);
  t.is(types.enumConstant('GREEN')?.value, 2n);
  t.deepEqual(types.enumConstant('ANON_TWO'), { name: 'ANON_TWO', value: 2n, type: { kind: 'int', size: 8, signed: false, enumName: '(anonymous at stdin:16)' } });
  t.is(types.enumConstant('NOPE'), undefined);
  if (!haveBtf) return;
  // A kernel struct the definitions point at is the kernel's own: its pointer carries the BTF id.
  const task = types.member(types.byName('struct holder')!, 'task')!.type;
  t.is(task.kind === 'pointer' && task.btfId, kernel.btf!.findByName('struct', 'task_struct'));
  // Unknown here, known to the kernel: asked of the kernel.
  t.is(types.byName('struct list_head')?.kind, 'struct');
  t.deepEqual(types.enumValues('pid_type')?.get(1n), 'PIDTYPE_TGID');
});

btfTest('the script wins over a kernel type of the same name', (t) => {
  const types = new ScriptTypes(new BtfKernelTypes(), extractCTypes(items('struct task_struct { int x; };'), { kernelBtf: kernelBtf() }));
  t.deepEqual(types.byName('struct task_struct'), { kind: 'struct', name: 'struct task_struct', fields: [{ name: 'x', type: { kind: 'int', size: 4, signed: true }, offset: 0 }], size: 4 });
});

btfTest('kernel types used by value or by typedef name are declared from kernel BTF', (t) => {
  const x = extractCTypes(items('struct Foo { struct list_head l; u32 x; pid_t p; struct sched_entity se; };'), { kernelBtf: kernelBtf() });
  const vm = kernelBtf();
  const se = vm.sizeof(vm.findByName('struct', 'sched_entity')!);
  const foo = x.btf.findByName('struct', 'Foo')!;
  t.is(x.btf.member(foo, 'x')!.bitOffset, 128);
  t.is(x.btf.member(foo, 'se')!.bitOffset % 64, 0);
  t.is(x.btf.sizeof(foo), x.btf.member(foo, 'se')!.bitOffset / 8 + se);
  const types = new ScriptTypes(new BtfKernelTypes(), x);
  // The declared kernel structs stay the kernel's (BTF ids of vmlinux, CO-RE reads).
  t.is((types.member(types.byName('struct Foo')!, 'l')!.type as { btfId?: number }).btfId, vm.findByName('struct', 'list_head'));
});

test('#ifdef BPFTRACE_HAVE_BTF guards: both branches', (t) => {
  const guarded = items('#ifndef BPFTRACE_HAVE_BTF\n#include <linux/in.h>\n#define HAVE 0\n#else\n#define HAVE 1\n#endif');
  const without = extractCTypes(guarded);
  t.is(without.scan.macros.get('HAVE')?.body, '0');
  // The uapi header of the branch taken without BTF: its anonymous enum and its structs.
  t.is(without.anonymousValues.get('IPPROTO_TCP'), 6n);
  t.true(without.scan.tags.has('struct sockaddr_in'));
  if (!haveBtf) return t.pass();
  const withBtf = extractCTypes(guarded, { kernelBtf: kernelBtf() });
  t.is(withBtf.scan.macros.get('HAVE')?.body, '1');
  t.false(withBtf.anonymousValues.has('IPPROTO_TCP'));
});

test("clang's errors point at the script's line and column", (t) => {
  t.like(errorOf(() => extractCTypes(items('struct Foo {\n  blah x;\n};', 'x.bt'))), {
    message: "unknown type name 'blah'", span: { file: 'x.bt', line: 2, col: 3, endCol: 7 },
  });
  t.like(errorOf(() => extractCTypes(items('struct A { int a; }; struct A { int b; };'))), {
    message: "redefinition of 'A'", span: { line: 1, col: 29, endCol: 30 },
  });
  t.like(errorOf(() => extractCTypes(items('#include <linux/no_such_header.h>'))), {
    message: "'linux/no_such_header.h' file not found", span: { line: 1, col: 10, endCol: 34 },
  });
  t.like(errorOf(() => extractCTypes(items('#if 1\n#error no luck\n#endif'))), { message: 'no luck', span: { line: 2 } });
});

test('an error inside an included header is reported at the #include', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bs-hdr-'));
  writeFileSync(join(dir, 'bad.h'), 'struct broken { nosuchtype x; };\n');
  const script = join(dir, 'script.bt');
  const e = errorOf(() => extractCTypes(items('#define X 1\n#include "bad.h"', script)));
  t.is(e.message, `unknown type name 'nosuchtype' (${join(dir, 'bad.h')}:1)`);
  t.like(e.span, { file: script, line: 2, col: 1, endCol: 17 });
});

test('the cache: no clang for the same text; a changed header compiles again', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bs-hdr-'));
  const header = join(dir, 'mine.h');
  writeFileSync(header, 'struct mine { int a; };\n');
  const its = items('#include "mine.h"', join(dir, 'script.bt'));
  const first = extractCTypes(its);
  t.false(first.cached);
  t.is(first.clangRuns, 2);
  const second = extractCTypes(its);
  t.true(second.cached);
  t.is(second.clangRuns, 0);
  t.is(second.btf.sizeof(second.btf.findByName('struct', 'mine')!), 4);
  writeFileSync(header, 'struct mine { int a; int b; };\n');
  utimesSync(header, new Date(), new Date(Date.now() + 5000));
  const third = extractCTypes(its);
  t.false(third.cached);
  t.is(third.btf.sizeof(third.btf.findByName('struct', 'mine')!), 8);
});
