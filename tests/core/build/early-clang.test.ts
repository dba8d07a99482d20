// clang started before its C exists (core/build/early-clang.ts): fed the C,
// it builds the code compileC builds, and its refusals read as compileC's; a
// compile cache hit, other flags or a discard kill it; killed or left without
// input, it leaves no process and no file. Tests share process.env and the
// one early clang a process holds, so they run one at a time.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildError, compileC, compileCAsync, discardEarlyClang, startClangEarly } from '../../../core/build/index.ts';

const program = `#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
SEC("raw_tp/sys_enter") int count(void *ctx) { return bpf_get_smp_processor_id() & 1; }
`;

function freshCache(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-early-')));
  process.env.BPFSCRIPT_CACHE_DIR = dir;
  return dir;
}

/** Whether process `pid` has ended (gone, or a zombie nobody reaped yet). */
function ended(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitEnded(pid: number, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!ended(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return ended(pid);
}

const disassembly = (object: string) => execFileSync('llvm-objdump-19', ['-d', '--no-show-raw-insn', object], { encoding: 'utf8' }).split('\n').slice(2).join('\n');

test.afterEach.always(async () => {
  await discardEarlyClang();
  delete process.env.BPFSCRIPT_NO_EARLY_CLANG;
});

test.serial('an early clang builds the code compileC builds, commits it as an entry and keeps no C', async (t) => {
  const plain = compileC(program);
  const dir = freshCache();
  const pid = startClangEarly();
  t.truthy(pid);
  const early = await compileCAsync(program);
  t.false(early.cached);
  t.true(early.clangMs > 0);
  t.is(disassembly(early.objectPath), disassembly(plain.objectPath));
  t.deepEqual(readdirSync(dir), [early.objectPath.slice(dir.length + 1)]);
  t.is(readFileSync(early.objectPath).subarray(0, 4).toString('latin1'), '\x7fELF');
  t.true(await waitEnded(pid!));
  t.true((await compileCAsync(program)).cached);
});

test.serial("an early clang's refusal names the kept C, line and column, as compileC's does", async (t) => {
  const bad = 'int a = 1;\nint b = ;\n';
  const dir = freshCache();
  const plain = t.throws(() => compileC(bad), { instanceOf: BuildError });
  const kept = join(dir, readdirSync(dir).find((f) => f.endsWith('.c'))!);
  const plainKept = readFileSync(kept, 'utf8');
  freshCache();
  startClangEarly();
  const early = await t.throwsAsync(compileCAsync(bad), { instanceOf: BuildError });
  const earlyDir = process.env.BPFSCRIPT_CACHE_DIR!;
  t.is(early!.message, plain!.message.replaceAll(dir, earlyDir));
  t.is(early!.output, plain!.output.replaceAll(dir, earlyDir));
  t.regex(early!.output, /\.c:2:9: error: expected expression/);
  t.is(readFileSync(kept.replace(dir, earlyDir), 'utf8'), plainKept);
});

test.serial('a compile cache hit kills the early clang', async (t) => {
  freshCache();
  compileC(program);
  const pid = startClangEarly()!;
  const hit = await compileCAsync(program);
  t.true(hit.cached);
  t.true(await waitEnded(pid));
});

test.serial('an early clang started with other flags is killed, and the compile runs its own', async (t) => {
  const dir = freshCache();
  const pid = startClangEarly()!;
  const built = await compileCAsync(program, ['-DOTHER_FLAGS']);
  t.false(built.cached);
  t.true(existsSync(built.objectPath));
  t.true(await waitEnded(pid));
  t.deepEqual(readdirSync(dir), [built.objectPath.slice(dir.length + 1)]);
});

test.serial('a discarded early clang is reaped, and another can start', async (t) => {
  freshCache();
  const first = startClangEarly()!;
  t.is(startClangEarly(), undefined, 'one at a time');
  await discardEarlyClang();
  t.true(ended(first));
  const second = startClangEarly();
  t.truthy(second);
  t.not(second, first);
});

test.serial('BPFSCRIPT_NO_EARLY_CLANG starts none; the compile runs clang itself', async (t) => {
  freshCache();
  process.env.BPFSCRIPT_NO_EARLY_CLANG = '1';
  t.is(startClangEarly(), undefined);
  t.false((await compileCAsync(program)).cached);
});

test.serial('an early clang whose process died before feeding it ends by itself and writes no file', async (t) => {
  // A Node process starts one and is killed before it feeds it: clang reads the
  // end of its input, and its object goes into a closed pipe.
  const dir = freshCache();
  const clang = repoFile('core/build/clang.ts');
  const r = spawnSync(process.execPath, ['--import=tsx', '--input-type=module', '-e', `
    import { writeSync } from 'node:fs';
    const m = await import(${JSON.stringify(clang)});
    writeSync(1, String(m.startClangEarly()));
    process.kill(process.pid, 'SIGKILL');
  `], { encoding: 'utf8', env: { ...process.env } });
  t.is(r.signal, 'SIGKILL', r.stderr);
  const child = r.stdout.trim();
  t.regex(child, /^\d+$/);
  t.true(await waitEnded(Number(child)));
  t.deepEqual(readdirSync(dir), []);
});

test.serial("errors inside a header the C includes read as compileC's, include stack and all", async (t) => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-early-h-')));
  writeFileSync(join(root, 'broken.h'), 'int broken = ;\n');
  const bad = `${program}#include "${join(root, 'broken.h')}"\n`;
  const dir = freshCache();
  const plain = t.throws(() => compileC(bad), { instanceOf: BuildError });
  freshCache();
  startClangEarly();
  const early = await t.throwsAsync(compileCAsync(bad), { instanceOf: BuildError });
  t.regex(plain!.output, /^In file included from .*\.c:5:\n.*broken\.h:1:14: error: expected expression/);
  t.is(early!.output, plain!.output.replaceAll(dir, process.env.BPFSCRIPT_CACHE_DIR!));
});

test.serial('early clangs used, hit or discarded leave no exit listener behind (a long-lived process compiles many)', async (t) => {
  freshCache();
  compileC('int cached;\n');
  const before = process.listenerCount('exit');
  for (let i = 0; i < 12; i++) {
    startClangEarly();
    await compileCAsync(i % 2 ? 'int cached;\n' : `int fresh${i};\n`);
  }
  startClangEarly();
  await discardEarlyClang();
  t.is(process.listenerCount('exit'), before);
});

function repoFile(path: string): string {
  return join(import.meta.dirname, '..', '..', '..', path);
}
