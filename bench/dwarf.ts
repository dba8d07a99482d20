// What a binary's debug information costs, and the road not taken: pahole
// (`--btf_encode_detached`, DWARF to BTF in C) against lib/dwarf's reader, on
// a small test program, a big library (libc's separate debug file, found by
// build id) and a big executable's own DWARF. Each of ours runs in a fresh
// Node process (a CLI starts cold): the work a uprobe needs (open, one
// function's parameters as value types), and every unit converted to BTF
// (what pahole does); and the CLI's `-l` against `-lv` (which reads DWARF).
// Times are CPU (user + system) medians: on a shared machine wall times say
// more about the neighbours than about the program.
//   node --import tsx bench/dwarf.ts [runs]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, fixtureProgram } from '../tests/helpers/run.ts';

const runs = Number(process.argv[2] ?? 5);
const root = join(import.meta.dirname, '..');

interface Target {
  label: string;
  binary: string;
  fn: string;
}

function targets(): Target[] {
  const out: Target[] = [];
  const upstream = join(homedir(), 'bt-tests', 'testprogs', 'uprobe_test');
  out.push(existsSync(upstream) ? { label: 'uprobe_test (upstream testprog)', binary: upstream, fn: 'uprobeFunction2' } : { label: 'dwarf-target (fixture)', binary: fixtureProgram('dwarf-target', { variant: 'g', flags: ['-g', '-O0'] }), fn: 'bs_dwarf_target' });
  const libc = '/lib/x86_64-linux-gnu/libc.so.6';
  if (existsSync(libc)) out.push({ label: 'libc.so.6 (libc6-dbg, by build id)', binary: libc, fn: 'getaddrinfo' });
  const node = process.execPath;
  // Node's own DWARF covers its C parts (libuv, ...).
  out.push({ label: `${node} (its own DWARF: libuv and other C parts)`, binary: node, fn: 'uv_fs_stat' });
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A fresh process: `setup` (imports, not timed), then `work` (CPU-timed), which sets `result`. */
function fresh(setup: string, work: string): { cpuMs: number; out: Record<string, unknown> } {
  const code = `${setup}; let result = {}; const c0 = process.cpuUsage(); ${work}; const c = process.cpuUsage(c0); console.log(JSON.stringify({ ...result, cpuMs: (c.user + c.system) / 1000 }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  return { cpuMs: out.cpuMs as number, out };
}

const IMPORTS = `const { binaryDebugInfo, unitToBtf } = await import('./lib/dwarf/index.ts'); const { elfFunctions } = await import('./lib/host/index.ts')`;

function oneFunction(t: Target): { cpuMs: number; debugFile: string; params: string } {
  // The symbol table is read by the uprobe's expansion anyway (and cached): not counted here.
  const setup = `${IMPORTS}; const sym = elfFunctions(${JSON.stringify(t.binary)}).find((s) => s.name === ${JSON.stringify(t.fn)})`;
  const work = `
    const d = binaryDebugInfo(${JSON.stringify(t.binary)});
    const f = d.types.functionParams(sym?.address, ${JSON.stringify(t.fn)});
    result = { debugFile: d.dwarf.debugPath, params: f ? f.params.map((p) => p.cType + ' ' + p.name).join(', ') : '(none)' }`;
  const r = fresh(setup, work);
  return { cpuMs: r.cpuMs, debugFile: r.out.debugFile as string, params: r.out.params as string };
}

function everyUnit(t: Target): { cpuMs: number; units: number; types: number } {
  const work = `
    const d = binaryDebugInfo(${JSON.stringify(t.binary)});
    let types = 0, units = 0;
    for (const u of d.dwarf.info.compileUnits()) { types += unitToBtf(d.dwarf.info, u).btf.count; units++; }
    result = { units, types }`;
  const r = fresh(IMPORTS, work);
  return { cpuMs: r.cpuMs, units: r.out.units as number, types: r.out.types as number };
}

function pahole(debugFile: string): { cpuMs: number; bytes: number } | undefined {
  if (spawnSync('pahole', ['--version']).status !== 0) return undefined;
  const out = join(mkdtempSync(join(tmpdir(), 'bs-pahole-')), 'out.btf');
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'pahole', `--btf_encode_detached=${out}`, debugFile], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { cpuMs: (user! + sys!) * 1000, bytes: statSync(out).size };
}

/** CPU time of one CLI listing (user + system, from /usr/bin/time). */
function listMs(t: Target, verbose: boolean): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', cli, verbose ? '-lv' : '-l', `uprobe:${t.binary}:${t.fn}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return (user! + sys!) * 1000;
}

for (const t of targets()) {
  const one = Array.from({ length: runs }, () => oneFunction(t));
  const all = Array.from({ length: runs }, () => everyUnit(t));
  const ph = Array.from({ length: runs }, () => pahole(one[0]!.debugFile)).filter((x) => x !== undefined);
  const l = Array.from({ length: runs }, () => listMs(t, false));
  const lv = Array.from({ length: runs }, () => listMs(t, true));
  console.log(`\n${t.label}\n  debug file: ${one[0]!.debugFile}\n  ${t.fn}(${one[0]!.params})`);
  console.log(`  lib/dwarf, open + one function's parameters (cold process): ${median(one.map((x) => x.cpuMs)).toFixed(0)} ms CPU`);
  console.log(`  lib/dwarf, every unit to BTF (${all[0]!.units} units, ${all[0]!.types} types): ${median(all.map((x) => x.cpuMs)).toFixed(0)} ms CPU`);
  if (ph.length) console.log(`  pahole --btf_encode_detached: ${median(ph.map((x) => x.cpuMs)).toFixed(0)} ms CPU, ${ph[0]!.bytes} bytes of BTF`);
  else console.log('  pahole: not installed');
  console.log(`  CLI -l: ${median(l).toFixed(0)} ms CPU; -lv (reads DWARF too): ${median(lv).toFixed(0)} ms CPU`);
}
