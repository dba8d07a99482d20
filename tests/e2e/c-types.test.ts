// A script's own C, end to end: struct/union/enum/typedef definitions read
// through pointers (user memory of a uprobe target, kernel memory), #define
// constants, #ifdef BPFTRACE_HAVE_BTF guards and #include of uapi headers,
// enums printed by name (the script's and the kernel's), and the errors.
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

const SAMPLE = `enum color { RED = 1, GREEN = 2, BLUE = 4 };
struct node { struct node *next; int value; };
typedef struct node node_t;
struct sample {
  int a;
  char name[10];
  unsigned int low : 3, mid : 5, high : 16;
  enum color color;
  union { int as_int; unsigned char bytes[4]; };
  struct { short x, y; } point;
  struct node *list;
  long long big;
};
`;

test('a struct the script defines, read through a uprobe argument', async (t) => {
  // The fixture fills a struct sample (same definition) and passes its address to bs_ctypes_target.
  const prog = fixtureProgram('c-types-target');
  const script = `${SAMPLE}
uprobe:${prog}:bs_ctypes_target {
  $s = (struct sample *)arg0;
  printf("%d %s %d %d %d %s %d %x %d\\n", $s->a, $s->name, $s->low, $s->mid, $s->high, $s->color, $s->color, $s->as_int, $s->bytes[2]);
  printf("%d %d %d %d %d\\n", $s->point.x, $s.point.y, $s->list->value, $s->list->next->value, ((node_t *)$s->list)->next->next == 0);
  print($s->big);
  $v = *$s;
  print($v);
  printf("%d %d %d\\n", $v.mid, $v.high, $v.bytes[3]);
  @colors[$s->color] = count();
  exit();
}`;
  const r = await bpfscript(['-q', '-e', script, '-c', prog]);
  t.is(r.stderr, '');
  const lines = r.stdout.split('\n');
  t.deepEqual(lines.slice(0, 3), ['-7 bpfscript 5 17 40000 GREEN 2 4030201 3', '-3 9 11 22 1', '1099511627776']);
  t.regex(lines[3]!, /^\{ \.a = -7, \.name = bpfscript, \.low = 5, \.mid = 17, \.high = 40000, \.color = GREEN, \.as_int = 67305985, \.point = \{ \.x = -3, \.y = 9 \}, \.list = 0x[0-9a-f]+, \.big = 1099511627776 \}$/);
  t.deepEqual(lines.slice(4), ['17 40000 4', '', '', '@colors[GREEN]: 1', '']);
});

test('a struct the script defines, over kernel memory (a list_head mirror in the current task)', async (t) => {
  const script = `struct my_list { struct my_list *next, *prev; };
begin {
  $l = (struct my_list *)((uint64)curtask + offsetof(struct task_struct, tasks));
  printf("%d %d %d\\n", (uint64)$l->next == (uint64)curtask->tasks.next, (uint64)$l->prev == (uint64)curtask->tasks.prev, (uint64)$l->next->prev == (uint64)$l);
  exit();
}`;
  const r = await bpfscript(['-q', '-e', script]);
  t.is(r.stdout, '1 1 1\n\n\n', r.stderr);
});

test('a float member has no value: printed as null (text and JSON), refused in an expression', async (t) => {
  const struct = 'struct pair { int m; float f; }';
  const body = '$a = (uint64)0x0000000500000002; $p = (struct pair *)&$a;';
  const text = await bpfscript(['-q', '-e', `${struct} begin { ${body} print(*$p); exit(); }`]);
  t.is(text.stdout.split('\n')[0], '{ .m = 2, .f = null }', text.stderr);
  const json = await bpfscript(['-q', '-f', 'json', '-e', `${struct} begin { ${body} print(*$p); exit(); }`]);
  t.is(json.stdout.trim(), '{"type": "value", "data": {"m": 2, "f": null}}', json.stderr);
  const use = await bpfscript(['-q', '-e', `${struct} begin { ${body} $x = $p->f + 1; }`]);
  t.not(use.code, 0);
  t.regex(use.stderr, /^stdin:1:\d+-\d+: ERROR: Type mismatch for '\+': none and int8$/m);
});

test('#define constants: integers, expressions of them, strings, in comptime', async (t) => {
  const script = `#define FOO 10
#define BAR (FOO * 2 + 1)
#define NAME "hel" "lo"
#define FLAGS (1 << 3 | 1)
begin { printf("%d %d %s %d\\n", FOO, BAR, NAME, FLAGS); if comptime (FOO > 5) { print("big"); } @[NAME] = FOO; exit(); }`;
  const r = await bpfscript(['-q', '-e', script]);
  t.is(r.stdout, '10 21 hello 9\nbig\n\n\n@[hello]: 10\n', r.stderr);
});

test('enums print by name: print, printf %s (and %d), variables, casts, map keys and values', async (t) => {
  const script = `enum color { RED = 1, GREEN = 2, BLUE = 4 };
enum { ONE = 1, TWO = 2 };
begin {
  print(GREEN);
  printf("%s %d %s\\n", BLUE, BLUE, (enum color)2);
  $c = RED; print($c);
  print((enum color)3);
  @[ONE] = 11; @[TWO] = 22;
  @t[ONE, TWO, ONE] = -1;
  @v = (ONE, TWO);
  @s = BLUE;
  @arith[ONE + 1] = TWO - 1;
  exit();
}`;
  const r = await bpfscript(['-q', '-e', script]);
  t.is(r.stdout, 'GREEN\nBLUE 4 GREEN\nRED\n3\n\n\n@[ONE]: 11\n@[TWO]: 22\n@arith[2]: 1\n@s: BLUE\n@t[ONE, TWO, ONE]: -1\n@v: (ONE, TWO)\n', r.stderr);
});

test('kernel enums: casts to them and their enumerators by name', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { print((enum pid_type)1); print(PIDTYPE_SID); printf("%s %d %d\\n", PIDTYPE_PGID, PIDTYPE_PGID, sizeof(BTF_VAR_STATIC)); @[PIDTYPE_PID] = 1; exit(); }']);
  t.is(r.stdout, 'PIDTYPE_TGID\nPIDTYPE_SID\nPIDTYPE_PGID 2 8\n\n\n@[PIDTYPE_PID]: 1\n', r.stderr);
});

test('the BPFTRACE_HAVE_BTF guard of upstream tools: kernel-only headers skipped, the #else branch taken', async (t) => {
  const script = `#ifndef BPFTRACE_HAVE_BTF
#include <linux/socket.h>
#include <net/sock.h>
#else
#include <sys/socket.h>
#endif
#ifdef BPFTRACE_HAVE_BTF
#define SOURCE "btf"
#else
#define SOURCE "headers"
#endif
begin { printf("%s %d %d %s\\n", SOURCE, AF_INET6, SOCK_STREAM, SOCK_STREAM); exit(); }`;
  const r = await bpfscript(['-q', '-e', script]);
  t.is(r.stdout, 'btf 10 1 SOCK_STREAM\n\n\n', r.stderr);
});

test('#include of a uapi header: its structs, anonymous enums and macros', async (t) => {
  const r = await bpfscript(['-q', '-e', '#include <linux/in.h>\nbegin { printf("%d %d %d %s %d\\n", sizeof(struct sockaddr_in), offsetof(struct sockaddr_in, sin_addr), IPPROTO_TCP, IPPROTO_UDP, INADDR_LOOPBACK); exit(); }']);
  t.is(r.stdout, '16 4 6 IPPROTO_UDP 2130706433\n\n\n', r.stderr);
});

test('sizeof and offsetof of script types; typedefs; unions; kernel types by value', async (t) => {
  const script = `struct Foo { int a; char b[10]; struct Foo *next; };
union U { int i; char c[12]; };
typedef unsigned short port_t;
typedef struct { int x, y; } point_t;
struct Bar { struct list_head l; u32 n; };
begin { $p = (port_t)70000; let $q: point_t; printf("%d %d %d %d %d %d %d %d\\n", sizeof(struct Foo), offsetof(struct Foo, b), offsetof(struct Foo, next), sizeof(union U), $p, sizeof($q), sizeof(struct Bar), offsetof(struct Bar, n)); exit(); }`;
  const r = await bpfscript(['-q', '-e', script]);
  t.is(r.stdout, '24 4 16 12 4464 8 24 16\n\n\n', r.stderr);
});

test('a packed struct whose __attribute__ has comments around it is packed', async (t) => {
  const r = await bpfscript(['-q', '-e', 'struct P { int x; char y; int z; } /* packed: */ __attribute__ /**/ ((packed)) /**/ begin { printf("%d\\n", sizeof(struct P)); exit(); }']);
  t.is(r.stdout, '9\n\n\n', r.stderr);
});

test('print of a whole struct with bitfields shows each bitfield, in text and in JSON', async (t) => {
  const script = 'struct B { unsigned long long lo:1; unsigned long long mid:2; long long neg:3; } begin { $v = (uint64)0x3d; $b = *(struct B *)(&$v); print($b); exit(); }';
  const text = await bpfscript(['-q', '-e', script]);
  t.is(text.stdout, '{ .lo = 1, .mid = 2, .neg = -1 }\n\n\n', text.stderr);
  const json = await bpfscript(['-q', '-f', 'json', '-e', script]);
  t.is(json.stdout.split('\n')[0], '{"type": "value", "data": {"lo": 1, "mid": 2, "neg": -1}}', json.stderr);
});

test('definitions that redefine a kernel struct take no kernel types: one they use undefined is refused', async (t) => {
  const r = await bpfscript(['-e', 'struct task_struct { struct thread_info x; } begin { printf("%d\\n", curtask.x.status); }']);
  t.is(r.stderr, "stdin:1:41-42: ERROR: field has incomplete type 'struct thread_info' (the script redefines the kernel's struct task_struct, so its definitions take no types from the kernel's BTF)\nstruct task_struct { struct thread_info x; } begin { printf(\"%d\\n\", curtask.x.status); }\n                                        ~\n");
  t.is(r.code, 1);
  // Defined too, it is the script's.
  const ok = await bpfscript(['-q', '-e', 'struct thread_info { unsigned long flags; } struct task_struct { struct thread_info x; } begin { printf("%d\\n", sizeof(curtask.x)); exit(); }']);
  t.is(ok.stdout, '8\n\n\n', ok.stderr);
});

test('-I DIR and --include FILE reach the C definitions', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bs-ctypes-inc-'));
  writeFileSync(join(dir, 'mydefs.h'), '#define MY_LIMIT 42\nstruct mine { int a; long b; };\n');
  const viaI = await bpfscript(['-q', '-I', dir, '-e', '#include <mydefs.h>\nbegin { printf("%d %d\\n", MY_LIMIT, sizeof(struct mine)); exit(); }']);
  t.is(viaI.stdout, '42 16\n\n\n', viaI.stderr);
  const viaInclude = await bpfscript(['-q', '--include', join(dir, 'mydefs.h'), '-e', 'begin { printf("%d %d\\n", MY_LIMIT, sizeof(struct mine)); exit(); }']);
  t.is(viaInclude.stdout, '42 16\n\n\n', viaInclude.stderr);
});

test('glibc headers (--include or #include): their typedefs and #define constants, the program still compiling for BPF', async (t) => {
  // glibc picks its 32-bit stubs for a target that is not the host's: the headers are read for their definitions only.
  const viaInclude = await bpfscript(['-q', '--include', 'errno.h', '--include', 'stdint.h', '-e', 'struct pair { uint8_t lo[4]; int32_t hi; } begin { $v = (uint64)0x0000000744332211; $p = *(struct pair *)(&$v); printf("%s %d %x %d\\n", strerror(EPERM), ENOENT, (int32)$p.lo, $p.hi); exit(); }']);
  t.is(viaInclude.stdout, 'Operation not permitted 2 44332211 7\n\n\n', viaInclude.stderr);
  const viaHash = await bpfscript(['-q', '-e', '#include <errno.h>\n#include <stdint.h>\nbegin { $x = (uint16_t)EACCES; print(strerror(EACCES)); print($x); exit(); }']);
  t.is(viaHash.stdout, 'Permission denied\n13\n\n\n', viaHash.stderr);
});

test('tools/tcpdrop.bt names the drop reason of a SYN to a closed port', async (t) => {
  const r = await bpfscript(['tools/tcpdrop.bt', '-c', "bash -c 'exec 3<>/dev/tcp/127.0.0.1/9 || true'"]);
  const lines = r.stdout.split('\n');
  t.is(lines[0], 'Tracing TCP/IP drops. Hit Ctrl-C to end.');
  t.regex(lines[1]!, /^PID +COMM +REASON +PROTO SOCKET$/);
  t.true(lines.some((l) => /^\d+ +\S+ +SKB_DROP_REASON_NO_SOCKET +IPv4 +-$/.test(l)), r.stdout + r.stderr);
});

test('JSON output: enums by name in printf and map keys, numbers as values', async (t) => {
  const r = await bpfscript(['-q', '-f', 'json', '-e', 'enum color { RED = 1, GREEN = 2 }; begin { printf("%s %d\\n", GREEN, GREEN); print(RED); @[GREEN] = RED; exit(); }']);
  t.is(r.stdout, '{"type": "printf", "data": "GREEN 2\\n"}\n{"type": "value", "data": 1}\n{"type": "map", "data": {"@": {"GREEN": 1}}}\n', r.stderr);
});

test('errors in C definitions and in their use are located', async (t) => {
  const cases: [string, string][] = [
    ['struct Foo { blah x; };\nbegin { }', "stdin:1:14-18: ERROR: unknown type name 'blah'\nstruct Foo { blah x; };\n             ~~~~\n"],
    ['struct A { int a; };\nstruct A { int b; };\nbegin { }', "stdin:2:8-9: ERROR: redefinition of 'A'\nstruct A { int b; };\n       ~\n"],
    ['#include <linux/no_such_header.h>\nbegin { }', "stdin:1:10-34: ERROR: 'linux/no_such_header.h' file not found\n#include <linux/no_such_header.h>\n         ~~~~~~~~~~~~~~~~~~~~~~~~\n"],
    ['#error not on this kernel\nbegin { }', 'stdin:1:2-7: ERROR: not on this kernel\n#error not on this kernel\n ~~~~~\n'],
    ['struct Foo { int a; };\nbegin { $p = (struct Foo *)0; print($p->zz); }', "stdin:2:37-43: ERROR: Struct/union of type 'struct Foo' does not contain a field named 'zz'\nbegin { $p = (struct Foo *)0; print($p->zz); }\n                                    ~~~~~~\n"],
    ['struct Opaque;\nbegin { $p = (struct Opaque *)0; print($p->x); }', "stdin:2:40-45: ERROR: Can not access field 'x' of incomplete type 'struct Opaque'\nbegin { $p = (struct Opaque *)0; print($p->x); }\n                                       ~~~~~\n"],
    ['struct Foo { int a; };\nbegin { print((struct Foo *)"abc"); }', 'stdin:2:15-34: ERROR: Cannot cast from "string[4]" to "struct Foo *"\nbegin { print((struct Foo *)"abc"); }\n              ~~~~~~~~~~~~~~~~~~~\n'],
    ['enum E { A };\nbegin { print((enum F)1); }', 'stdin:2:16-22: ERROR: Unknown type: enum F\nbegin { print((enum F)1); }\n               ~~~~~~\n'],
    ['#define MAX(a, b) ((a) > (b) ? (a) : (b))\nbegin { print(MAX(1, 2)); }', 'stdin:2:15-24: ERROR: Macro MAX (defined at stdin:1) is not a constant: it takes arguments (a, b): only macros that expand to a constant can be used\nbegin { print(MAX(1, 2)); }\n              ~~~~~~~~~\n'],
    ['#define WHO comm\nbegin { print(WHO); }', "stdin:2:15-18: ERROR: Macro WHO (defined at stdin:1) is not a constant: 'comm' is not a constant\nbegin { print(WHO); }\n              ~~~\n"],
    ['begin { print(NO_SUCH_CONSTANT); }', "stdin:1:15-31: ERROR: Unknown identifier: 'NO_SUCH_CONSTANT'\nbegin { print(NO_SUCH_CONSTANT); }\n              ~~~~~~~~~~~~~~~~\n"],
  ];
  for (const [script, stderr] of cases) {
    const r = await bpfscript(['-e', script]);
    t.is(r.stderr, stderr, script);
    t.is(r.code, 1, script);
  }
});
