// The functions an imported object exports, as the interop layer sees them:
// which are callable, their script-side shapes, and the prototypes written
// into the generated program (spelled to satisfy libbpf's static linker).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bpfTargetFlags, compileC, findClang, linkObjects } from '../../../../core/build/index.ts';
import { BpfElf, exportedFunctions, type CFunction } from '../../../../plugins/compiler/c-interop/index.ts';
import { LibbpfRuntime } from '../../../../plugins/runtime/libbpf/index.ts';
import { repoRoot } from '../../../helpers/run.ts';
import { clangTest, withTempCache } from './helpers.ts';

const ct = clangTest;

const root = withTempCache('bpfs-functions-');
const compiled = new Map<string, string>();

function compileFixture(name: string): string {
  if (compiled.has(name)) return compiled.get(name)!;
  const out = join(root, `${name}.bpf.o`);
  execFileSync(findClang(), [...bpfTargetFlags(), '-c', join(repoRoot, 'tests/fixtures/c-interop', `${name}.bpf.c`), '-o', out]);
  compiled.set(name, out);
  return out;
}

function byName(fns: CFunction[]): Map<string, CFunction> {
  return new Map(fns.map((f) => [f.name, f]));
}

const unit = { kind: 'object' as const, path: '/x/signatures.bpf.o', name: 'signatures.bpf.o' };

ct('only global and weak functions in .text are exported: not static ones, not programs', (t) => {
  const fns = exportedFunctions(compileFixture('signatures'), unit);
  t.deepEqual(fns.map((f) => f.name).sort(), [
    '__by_value', '__enum_param', '__ints', '__more_pointers', '__pointers', '__returns_bool', '__returns_pointer', '__returns_void', '__weak_one',
  ]);
});

ct('integer parameters of any size, through typedefs, become sized kernel ints', (t) => {
  const f = byName(exportedFunctions(compileFixture('signatures'), unit)).get('__ints')!;
  t.is(f.decl, 'long __ints(char a, unsigned short b, s32_t c, unsigned long long d, _Bool e)');
  t.is(f.prototype, 'extern __s64 __ints(__s8, __u16, __s32, __u64, __u8) __attribute__((visibility("hidden")));');
  t.deepEqual(f.params.map((p) => p.kind), ['int', 'int', 'int', 'int', 'int']);
  t.deepEqual(f.result, { kind: 'int', int: { size: 8, signed: true, bool: false } });
  t.deepEqual(f.declarations, []);
});

ct('pointer parameters: named tags are forward-declared, anonymous ones get an opaque stand-in', (t) => {
  const f = byName(exportedFunctions(compileFixture('signatures'), unit)).get('__pointers')!;
  t.is(f.prototype, 'extern __s32 __pointers(__s8 *, struct named *, bs_opaque___pointers_0 *, void *, union both *) __attribute__((visibility("hidden")));');
  t.deepEqual(f.declarations, ['struct named;', 'typedef struct { __u8 __bs_opaque; } bs_opaque___pointers_0;', 'union both;']);
  const [s, n, a, v, u] = f.params;
  t.like(s, { kind: 'pointer', charLike: true, readOnly: true, pointeeSize: 1 });
  t.like(n, { kind: 'pointer', charLike: false, readOnly: false, pointeeSize: 16 });
  t.like(a, { kind: 'pointer', pointeeSize: 8 });
  t.like(v, { kind: 'pointer', pointeeSize: undefined });
  t.like(u, { kind: 'pointer', pointeeSize: 12 });
  const more = byName(exportedFunctions(compileFixture('signatures'), unit)).get('__more_pointers')!;
  t.is(more.prototype, 'extern __s32 __more_pointers(struct named **, struct only_declared *) __attribute__((visibility("hidden")));');
  t.deepEqual(more.declarations, ['struct named;', 'struct only_declared;']);
  t.like(more.params[0], { kind: 'pointer', pointeeSize: 8 });
  t.like(more.params[1], { kind: 'pointer', pointeeSize: undefined });
});

ct('results: pointers, void and bool', (t) => {
  const fns = byName(exportedFunctions(compileFixture('signatures'), unit));
  t.deepEqual(fns.get('__returns_pointer')!.result, { kind: 'pointer', c: 'struct named *', pointee: 'struct named' });
  t.deepEqual(fns.get('__returns_void')!.result, { kind: 'void' });
  t.deepEqual(fns.get('__returns_bool')!.result, { kind: 'int', int: { size: 1, signed: false, bool: true } });
});

ct('what a script cannot pass is reported per function, not at import', (t) => {
  const fns = byName(exportedFunctions(compileFixture('signatures'), unit));
  t.is(fns.get('__by_value')!.unsupported, 'parameter 1 (struct named n) is a struct passed by value (BPF functions take at most 8-byte values)');
  t.is(fns.get('__enum_param')!.unsupported, 'parameter 1 (enum color c) has type enum color');
  t.is(fns.get('__ints')!.unsupported, undefined);
});

ct('the ELF reader: bindings, visibility, sections; functions made hidden, maps, variables and programs left alone', (t) => {
  const plain = new BpfElf(readFileSync(compileFixture('signatures')), 'signatures');
  const before = new Map(plain.symbols().map((s) => [s.name, s]));
  t.like(before.get('__ints'), { binding: 'global', hidden: false, section: '.text', type: 2 });
  t.like(before.get('__weak_one'), { binding: 'weak', hidden: false, section: '.text' });
  t.like(before.get('private_helper') ?? { binding: 'local' }, { binding: 'local' });
  t.like(before.get('a_program'), { binding: 'global', section: 'raw_tp' });
  t.like(before.get('a_map'), { binding: 'global', section: '.maps', type: 1 });
  t.truthy(plain.section('.BTF'));
  const hidden = new BpfElf(plain.withHiddenFunctions(), 'hidden');
  const after = new Map(hidden.symbols().map((s) => [s.name, s]));
  for (const name of ['__ints', '__pointers', '__weak_one']) t.true(after.get(name)!.hidden, name);
  for (const name of ['a_program', 'a_map', 'a_global']) t.false(after.get(name)!.hidden, name);
  t.is(hidden.withHiddenFunctions(), hidden.bytes, 'nothing left to change');
  t.throws(() => new BpfElf(Buffer.from('not an elf file, clearly not at all, but long enough to hold a header.....'), 'x'), { message: 'x is not an ELF file' });
});

ct('every prototype links against the object that defines it (libbpf static linker)', (t) => {
  const object = compileFixture('signatures');
  const fns = exportedFunctions(object, unit).filter((f) => !f.unsupported);
  const calls = fns.map((f) => `  sink += (long)${f.name}(${f.params.map((p) => `(${p.c})0`).join(', ')});`.replace('(long)__returns_void', '__returns_void'));
  const main = [
    '#include <linux/bpf.h>',
    '#include <bpf/bpf_helpers.h>',
    'char LICENSE[] SEC("license") = "GPL";',
    ...new Set(fns.flatMap((f) => f.declarations)),
    ...fns.map((f) => f.prototype),
    'long sink;',
    'SEC("raw_tp")',
    'int caller(void *ctx)',
    '{',
    ...calls.map((c) => (c.includes('__returns_void') ? c.replace('sink += ', '') : c)),
    '  return 0;',
    '}',
  ].join('\n');
  const built = compileC(main);
  const linked = linkObjects(new LibbpfRuntime(), [{ path: built.objectPath, name: 'main' }, { path: object, name: 'signatures' }]);
  const elf = new BpfElf(readFileSync(linked.objectPath), 'linked');
  const syms = new Map(elf.symbols().map((s) => [s.name, s]));
  for (const f of fns) t.like(syms.get(f.name), { section: '.text', hidden: true }, f.name);
});
