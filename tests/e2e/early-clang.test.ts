// The clang a cold run starts early (core/build/early-clang.ts), seen from
// outside: a clang that records its process id stands in for the real one
// (BPFSCRIPT_CLANG). A run with an empty cache compiles with the one it
// started; a compile cache hit, or a script that fails before its C exists,
// kills it; no clang process and no generated C or temporary file outlives
// the run, and what the run prints is what it printed without an early clang
// (BPFSCRIPT_NO_EARLY_CLANG=1).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, type RunResult } from '../helpers/run.ts';

const realClang = execFileSync('sh', ['-c', 'command -v clang-19 || command -v clang'], { encoding: 'utf8' }).trim();

interface Setup {
  cache: string;
  env: Record<string, string>;
  /** The process ids of the clangs started so far (and forgets them). */
  clangs(): number[];
}

function setup(): Setup {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-early-e2e-')));
  const pids = join(dir, 'pids');
  const wrapper = join(dir, 'clang');
  writeFileSync(wrapper, `#!/bin/sh\necho $$ >> '${pids}'\nexec '${realClang}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  const cache = join(dir, 'cache');
  return {
    cache,
    env: { BPFSCRIPT_CLANG: wrapper, BPFSCRIPT_CACHE_DIR: cache, BPFSCRIPT_NO_EARLY_CLANG: '' },
    clangs() {
      const ids = existsSync(pids) ? readFileSync(pids, 'utf8').split('\n').filter(Boolean).map(Number) : [];
      rmSync(pids, { force: true });
      return ids;
    },
  };
}

/** Whether every process in `pids` is gone (not even a zombie), waiting a little for the last reaps. */
async function allGone(pids: number[]): Promise<boolean> {
  const until = Date.now() + 3000;
  while (pids.some((p) => existsSync(`/proc/${p}`)) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return pids.every((p) => !existsSync(`/proc/${p}`));
}

/** Files of the cache's top folder that are not entries: generated C, temporary files. */
const leftovers = (cache: string) => readdirSync(cache).filter((f) => /\.(c|tmp|d)$/.test(f));

const script = 'begin { printf("%d\\n", 6 * 7); exit(); }';

test('a run with an empty cache compiles with the clang it started early; no process or file is left', async (t) => {
  const s = setup();
  const r = await bpfscript(['-q', '-e', script], { env: s.env });
  t.is(r.stdout, '42\n\n\n');
  t.is(r.code, 0, r.stderr);
  const clangs = s.clangs();
  t.is(clangs.length, 1, 'one clang, started early and fed the C');
  t.true(await allGone(clangs));
  t.deepEqual(leftovers(s.cache), []);
  t.is(readdirSync(s.cache).filter((f) => f.endsWith('.bpf.o')).length, 1);
});

test('a compile cache hit kills the clang a missing code cache started; a warm run starts none', async (t) => {
  const s = setup();
  await bpfscript(['-q', '-e', script], { env: s.env });
  s.clangs();
  const warm = await bpfscript(['-q', '-e', script], { env: s.env });
  t.is(warm.stdout, '42\n\n\n');
  t.deepEqual(s.clangs(), [], 'code, parse and compile caches hit: no clang');
  rmSync(join(s.cache, 'v8'), { recursive: true });
  const hit = await bpfscript(['-q', '-e', script], { env: s.env });
  t.is(hit.stdout, '42\n\n\n');
  t.is(hit.code, 0, hit.stderr);
  const clangs = s.clangs();
  t.is(clangs.length, 1, 'started early, then killed: the object was in the cache');
  t.true(await allGone(clangs));
  t.deepEqual(leftovers(s.cache), []);
});

/** The run of `args` with an early clang, and without one, each with an empty cache. */
async function bothWays(args: string[]): Promise<{ early: RunResult; plain: RunResult; clangs: number[] }> {
  const s = setup();
  const early = await bpfscript(args, { env: s.env });
  const clangs = s.clangs();
  const p = setup();
  const plain = await bpfscript(args, { env: { ...p.env, BPFSCRIPT_NO_EARLY_CLANG: '1' } });
  return { early, plain, clangs };
}

test('a script that fails before its C exists: the same error, and the early clang is gone', async (t) => {
  const { early, plain, clangs } = await bothWays(['-e', 'begin { $x = 1 + "a"; }']);
  t.is(early.code, 1);
  t.regex(early.stderr, /^stdin:1:\d+-\d+: ERROR: /);
  t.is(early.stderr, plain.stderr);
  t.is(clangs.length, 1);
  t.true(await allGone(clangs));
});

test("clang's refusal of a BPF limit: the same located error through the early clang", async (t) => {
  const wide = '((uint64)1, (uint64)2, (uint64)3, (uint64)4, (uint64)5, (uint64)6, (uint64)7, (uint64)8)';
  const { early, plain, clangs } = await bothWays(['-e', `begin { $a = ${wide}; @x[$a, $a, $a, $a, $a, $a, $a, $a] = 1; exit(); }`]);
  t.is(early.code, 1);
  t.regex(early.stderr, /^stdin:1:1-6: ERROR: begin: the BPF program of this probe needs more than the 512 bytes of stack BPF allows\n/);
  t.is(early.stderr, plain.stderr);
  t.true(await allGone(clangs));
});
