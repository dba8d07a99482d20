// What a script's C definitions add to a run: the same program with and
// without preprocessor lines and C definitions, through the whole CLI
// (`--dry-run`: compile, load, attach, detach), with an empty cache (clang
// runs for the definitions and for the program) and with a warm one (no
// clang at all). Also the c-types step alone, in a fresh process.
//   node --import tsx bench/c-types.ts [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../tests/helpers/run.ts';

const runs = Number(process.argv[2] ?? 7);

const body = 'begin { printf("%d %d %s\\n", sizeof(struct Foo), FOO, TWO); exit(); }';
const plain = 'begin { printf("%d %d %s\\n", 16, 10, "x"); exit(); }';
const definitions = [
  '#ifndef BPFTRACE_HAVE_BTF',
  '#include <linux/socket.h>',
  '#else',
  '#include <sys/socket.h>',
  '#endif',
  '#define FOO 10',
  'struct Foo { int a; char b[10]; struct Foo *next; };',
  'enum E { ONE = 1, TWO };',
  '',
].join('\n');
const withC = definitions + body;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function cliMs(script: string, cacheDir: string, fresh: boolean): number {
  if (fresh) rmSync(cacheDir, { recursive: true, force: true });
  const t0 = performance.now();
  const r = spawnSync(cli, ['--dry-run', '-e', script], { env: { ...process.env, BPFSCRIPT_CACHE_DIR: cacheDir }, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bpfscript failed: ${r.stderr}`);
  return ms;
}

/** The c-types step alone (parse + extract + types), in a fresh Node process. */
function stepMs(cacheDir: string, fresh: boolean): { ms: number; clangRuns: number; clangMs: number } {
  if (fresh) rmSync(cacheDir, { recursive: true, force: true });
  const code = `
    const { parse } = await import('./core/syntax/index.ts');
    const { scriptCTypes } = await import('./plugins/c-types/index.ts');
    const { BtfKernelTypes } = await import('../lib/btf/index.ts');
    const kernelTypes = new BtfKernelTypes();
    kernelTypes.btf;
    const program = parse(${JSON.stringify(withC)}, 'stdin');
    const t0 = performance.now();
    const r = scriptCTypes(program, { kernelTypes });
    const ms = performance.now() - t0;
    console.log(JSON.stringify({ ms, clangRuns: r.extracted.clangRuns, clangMs: r.extracted.clangMs }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    env: { ...process.env, BPFSCRIPT_CACHE_DIR: cacheDir }, encoding: 'utf8', cwd: join(import.meta.dirname, '..'),
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const dir = mkdtempSync(join(tmpdir(), 'bs-ctypes-bench-'));
try {
  const rows: [string, number][] = [];
  const sample = (label: string, f: () => number) => {
    f(); // warm the page cache
    rows.push([label, median(Array.from({ length: runs }, f))]);
  };
  sample('CLI --dry-run, no C, empty cache', () => cliMs(plain, join(dir, 'a'), true));
  sample('CLI --dry-run, with C, empty cache', () => cliMs(withC, join(dir, 'b'), true));
  cliMs(plain, join(dir, 'c'), true);
  sample('CLI --dry-run, no C, warm cache', () => cliMs(plain, join(dir, 'c'), false));
  cliMs(withC, join(dir, 'd'), true);
  sample('CLI --dry-run, with C, warm cache', () => cliMs(withC, join(dir, 'd'), false));
  const cold = Array.from({ length: runs }, () => stepMs(join(dir, 'e'), true));
  stepMs(join(dir, 'f'), true);
  const warm = Array.from({ length: runs }, () => stepMs(join(dir, 'f'), false));
  rows.push(['c-types step, empty cache', median(cold.map((s) => s.ms))]);
  rows.push(['  of which clang', median(cold.map((s) => s.clangMs))]);
  rows.push(['c-types step, warm cache', median(warm.map((s) => s.ms))]);
  console.log(`median of ${runs} runs; clang runs per cold extraction: ${cold[0]!.clangRuns}`);
  for (const [label, ms] of rows) console.log(`${label.padEnd(40)} ${ms.toFixed(1).padStart(8)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
