// Building imported C units (core/build): the content-hash cache with header
// tracking, the dependency-file parser, and vmlinux.h for units.
import test from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileUnit, parseDepFile, vmlinuxIncludeDir } from '../../../../core/build/index.ts';
import { BpfElf } from '../../../../plugins/compiler/c-interop/index.ts';
import { clangTest, withTempCache } from './helpers.ts';

const ct = clangTest;
const root = withTempCache('bpfs-units-');

test('dependency files: continuation lines, escaped spaces, paths resolved from the working directory', (t) => {
  const text = 'out.o: src/a.bpf.c /usr/include/linux/bpf.h \\\n  inc/my\\ header.h \\\n  /abs/b.h\n';
  t.deepEqual(parseDepFile(text, '/work'), ['/work/src/a.bpf.c', '/usr/include/linux/bpf.h', '/work/inc/my header.h', '/abs/b.h']);
  t.deepEqual(parseDepFile('', '/work'), []);
});

ct('a unit compiles once; an unchanged unit is a cache hit; editing it or a header it includes recompiles', (t) => {
  const dir = join(root, 'lib');
  mkdirSync(dir);
  writeFileSync(join(dir, 'k.h'), '#define K 3\n');
  writeFileSync(join(dir, 'u.bpf.c'), '#include "k.h"\nint __k(void) { return K; }\n');
  const first = compileUnit(join(dir, 'u.bpf.c'));
  t.false(first.cached);
  t.true(first.clangMs > 0);
  const again = compileUnit(join(dir, 'u.bpf.c'));
  t.deepEqual(again, { objectPath: first.objectPath, cached: true, clangMs: 0 });

  writeFileSync(join(dir, 'k.h'), '#define K 4\n');
  const headerEdited = compileUnit(join(dir, 'u.bpf.c'));
  t.false(headerEdited.cached, 'the header changed');
  t.true(compileUnit(join(dir, 'u.bpf.c')).cached);

  writeFileSync(join(dir, 'u.bpf.c'), '#include "k.h"\nint __k(void) { return K + 1; }\n');
  t.false(compileUnit(join(dir, 'u.bpf.c')).cached, 'the unit changed');
});

ct('a transform rewrites the object before it is cached; its id is part of the key', (t) => {
  writeFileSync(join(root, 'v.bpf.c'), 'int __v(int x) { return x; }\n');
  let calls = 0;
  const hide = { id: 'hide', apply: (b: Buffer) => (calls++, new BpfElf(b, 'v').withHiddenFunctions()) };
  const { objectPath } = compileUnit(join(root, 'v.bpf.c'), { transform: hide });
  const sym = new BpfElf(readFileSync(objectPath), 'v').symbols().find((s) => s.name === '__v');
  t.like(sym, { binding: 'global', hidden: true, section: '.text' });
  t.true(compileUnit(join(root, 'v.bpf.c'), { transform: hide }).cached);
  t.is(calls, 1);
  const plain = compileUnit(join(root, 'v.bpf.c'));
  t.false(plain.cached);
  t.not(plain.objectPath, objectPath);
  t.false(new BpfElf(readFileSync(plain.objectPath), 'v').symbols().find((s) => s.name === '__v')!.hidden);
});

ct('units may include <vmlinux.h>: the running kernel\'s types', (t) => {
  writeFileSync(join(root, 'vm.bpf.c'), '#include <vmlinux.h>\nint __pid_of(struct task_struct *t) { return t->pid; }\n');
  const r = compileUnit(join(root, 'vm.bpf.c'));
  t.false(r.cached);
  t.regex(readFileSync(join(vmlinuxIncludeDir(), 'vmlinux.h'), 'utf8'), /struct task_struct \{/);
});

ct('a unit that does not compile: clang\'s messages, naming the file', (t) => {
  writeFileSync(join(root, 'bad.bpf.c'), 'int __bad(void) { return nope; }\n');
  const e = t.throws(() => compileUnit(join(root, 'bad.bpf.c')));
  t.regex(e!.message, /^failed to compile .*bad\.bpf\.c$/);
  t.regex((e as Error & { output: string }).output, /bad\.bpf\.c:1:26: error: use of undeclared identifier 'nope'/);
});
