// lib/host/user-symbols: maps, perf maps, ELF symbol tables, demangling and
// the symbolizer's cache modes, on fixture programs (no BPF needed).
import test from 'ava';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Demangler, ElfFile, PerfMap, UserSymbolizer, elfSymbols, mappingAt, parsePerfMap, parseProcMaps, readProcMaps } from '../../../lib/host/index.ts';
import { fixtureBuild } from '../../helpers/run.ts';

const nopie = () => fixtureBuild('stack-target-nopie', ['stack-target.c'], ['-O0', '-no-pie']);
const pie = () => fixtureBuild('stack-target-pie', ['stack-target.c'], ['-O0', '-pie', '-fPIE']);

function symbolValue(path: string, name: string): bigint {
  return new ElfFile(readFileSync(path), path).symbols().find((s) => s.name === name)!.value;
}

test('parseProcMaps reads ranges, offsets, inodes and paths; mappingAt finds the mapping of an address', (t) => {
  const maps = parseProcMaps(
    '55d0c0a00000-55d0c0a01000 r--p 00000000 08:01 1234 /usr/bin/prog\n' +
      '55d0c0a01000-55d0c0a02000 r-xp 00001000 08:01 1234 /usr/bin/prog\n' +
      '7e0000000000-7e0000001000 rwxp 00000000 00:00 0 \n' +
      '7ffd1000000-7ffd1021000 rw-p 00000000 00:00 0                          [stack]\n',
  );
  t.is(maps.length, 4);
  t.deepEqual(maps[1], { start: 0x55d0c0a01000n, end: 0x55d0c0a02000n, offset: 0x1000n, inode: 1234, path: '/usr/bin/prog' });
  t.is(maps[2]!.path, '');
  t.is(maps[3]!.path, '[stack]');
  t.is(mappingAt(maps, 0x55d0c0a01234n), maps[1]);
  t.is(mappingAt(maps, 0x55d0c0a02000n), undefined);
  t.is(readProcMaps(2 ** 22 + 7), undefined);
});

test('perf maps: hex entries sorted, names with spaces kept, a later line wins, the file read again when it grows', (t) => {
  const entries = parsePerfMap('3000 10 second\nbad line\n1000 20 LazyCompile:~f /x.js:1\n3000 8 again\n');
  t.deepEqual(entries, [
    { start: 0x1000n, end: 0x1020n, name: 'LazyCompile:~f /x.js:1' },
    { start: 0x3000n, end: 0x3008n, name: 'again' },
  ]);
  const file = join(mkdtempSync(join(tmpdir(), 'bs-perfmap-')), 'perf-1.map');
  writeFileSync(file, '1000 20 first\n');
  const map = new PerfMap(file);
  t.deepEqual(map.lookup(0x1010n), { name: 'first', start: 0x1000n });
  t.is(map.lookup(0x2000n), undefined);
  appendFileSync(file, '2000 10 jitted later\n');
  t.deepEqual(map.lookup(0x2004n), { name: 'jitted later', start: 0x2000n });
});

test('ELF symbols: functions and objects by address, sizes respected, file offsets to addresses', (t) => {
  const exe = nopie();
  const syms = elfSymbols(exe)!;
  t.true(syms.fixedAddress);
  const middle = symbolValue(exe, 'bs_stack_middle');
  t.deepEqual(syms.lookup(middle + 5n), { name: 'bs_stack_middle', start: middle });
  const counter = symbolValue(exe, 'bs_global_counter');
  t.deepEqual(syms.lookup(counter + 2n), { name: 'bs_global_counter', start: counter });
  t.is(syms.lookup(counter + 4n)?.name === 'bs_global_counter', false);
  t.false(elfSymbols(pie())!.fixedAddress);
  t.is(elfSymbols('/no/such/file'), undefined);
});

test('demangling: C++ as libstdc++ prints it, Rust legacy and v0 without the hash, plain names unchanged', (t) => {
  const d = new Demangler();
  d.prepare(['_ZN2bs6Worker4leafEi', '_ZN3std2rt10lang_start17h0123456789abcdefE', '_RNvCs1234_7mycrate3foo', 'main']);
  t.is(d.demangle('_ZN2bs6Worker4leafEi'), 'bs::Worker::leaf(int)');
  t.is(d.demangle('_ZN4node20PlatformWorkerThreadEPv'), 'node::PlatformWorkerThread(void*)');
  t.is(d.demangle('_ZN3std2rt10lang_start17h0123456789abcdefE'), 'std::rt::lang_start');
  t.is(d.demangle('_RNvCs1234_7mycrate3foo'), 'mycrate::foo');
  t.is(d.demangle('main'), 'main');
  t.is(d.demangle('_Znot_really'), '_Znot_really');
});

/** Runs a fixture that sleeps, and names addresses in it while it lives. */
async function withProcess<T>(exe: string, f: (pid: number) => T): Promise<T> {
  const child = spawn(exe, ['1', '3000'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 150));
  try {
    return f(child.pid!);
  } finally {
    child.kill();
    await new Promise((r) => child.on('exit', r));
  }
}

test('the symbolizer names a PIE\'s code where ASLR loaded it, and libc\'s, from /proc/PID/maps', async (t) => {
  const exe = pie();
  const found = await withProcess(exe, (pid) => {
    const maps = readProcMaps(pid)!;
    const base = maps.find((m) => m.path === exe && m.offset === 0n)!.start;
    const libc = maps.find((m) => /libc\.so/.test(m.path) && m.offset === 0n)!;
    const libcMalloc = symbolValue(libc.path, 'malloc');
    const s = new UserSymbolizer({ cache: 'PER_PID', demangle: true });
    return s.resolve(pid, [base + symbolValue(exe, 'bs_stack_middle') + 3n, libc.start + libcMalloc, 1n]);
  });
  t.deepEqual(found[0], { name: 'bs_stack_middle', offset: 3n, module: exe });
  t.is(found[1]?.name, 'malloc');
  t.is(found[2], undefined);
});

test('cache modes: PER_PID keeps a process\'s maps after it exits; PER_PROGRAM names a fixed-address program that is gone', async (t) => {
  const exe = pie();
  const perPid = new UserSymbolizer({ cache: 'PER_PID', demangle: true });
  const none = new UserSymbolizer({ cache: 'NONE', demangle: true });
  let address = 0n;
  let pid = 0;
  await withProcess(exe, (p) => {
    pid = p;
    const base = readProcMaps(p)!.find((m) => m.path === exe && m.offset === 0n)!.start;
    address = base + symbolValue(exe, 'bs_stack_outer');
    t.is(perPid.resolve(p, [address])[0]?.name, 'bs_stack_outer');
    t.is(none.resolve(p, [address])[0]?.name, 'bs_stack_outer');
  });
  await new Promise((r) => setTimeout(r, 100));
  t.is(perPid.resolve(pid, [address])[0]?.name, 'bs_stack_outer');
  t.is(none.resolve(pid, [address])[0], undefined);
  // A fixed-address program needs no maps: its addresses are its file's.
  const fixed = nopie();
  const perProgram = new UserSymbolizer({ cache: 'PER_PROGRAM', demangle: true, fallbackExecutable: fixed });
  t.deepEqual(perProgram.resolve(2 ** 22 + 7, [symbolValue(fixed, 'bs_stack_leaf')])[0], { name: 'bs_stack_leaf', offset: 0n, module: fixed });
  t.is(new UserSymbolizer({ cache: 'PER_PID', demangle: true, fallbackExecutable: fixed }).resolve(2 ** 22 + 7, [symbolValue(fixed, 'bs_stack_leaf')])[0], undefined);
});
