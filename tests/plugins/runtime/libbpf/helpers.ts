// Test helpers for the runtime-libbpf room: compile BPF and host fixtures (cached by
// content hash under the OS temp dir), run trigger programs, pack u64 contexts.

import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const fixturesDir = resolve(here, '../../../fixtures/runtime-libbpf');
const cacheDir = join(tmpdir(), 'bpfscript-runtime-libbpf-fixtures');

function findClang(): string | undefined {
  for (const c of [process.env.CLANG, '/usr/bin/clang-19', '/usr/bin/clang']) {
    if (c && existsSync(c)) return c;
  }
  return undefined;
}

/** Why the kernel tests cannot run here, or undefined when they can. */
export function cannotRunReason(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'needs Linux x86-64';
  if (process.getuid?.() !== 0) return 'needs root';
  if (!findClang()) return 'needs clang-19';
  if (!existsSync('/usr/include/bpf/bpf_helpers.h')) return 'needs libbpf-dev headers';
  return undefined;
}

const BPF_CFLAGS = ['-O2', '-g', '-target', 'bpf', '-D__TARGET_ARCH_x86', '-I/usr/include/x86_64-linux-gnu'];

function cached(source: string, flags: string[], ext: string, build: (out: string) => void): string {
  const text = readFileSync(source);
  const hash = createHash('sha256').update(text).update(flags.join(' ')).digest('hex').slice(0, 16);
  const base = source.split('/').pop()!.replace(/\.(bpf\.)?c$/, '');
  // One folder per hash keeps the file name, which libbpf uses as the object's name.
  const dir = join(cacheDir, hash);
  const out = join(dir, `${base}${ext}`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  build(tmp);
  renameSync(tmp, out); // atomic: parallel test processes may race here
  return out;
}

/** Compiles tests/fixtures/runtime-libbpf/<name>.bpf.c and returns the object's path. */
export function bpfFixture(name: string): string {
  const src = join(fixturesDir, `${name}.bpf.c`);
  return cached(src, BPF_CFLAGS, '.bpf.o', (out) => {
    execFileSync(findClang()!, [...BPF_CFLAGS, '-c', src, '-o', out], { stdio: 'pipe' });
  });
}

/** Compiles the host helper tests/fixtures/runtime-libbpf/targets.c and returns the binary's path. */
export function targetsBinary(): string {
  const src = join(fixturesDir, 'targets.c');
  return cached(src, ['-O2'], '', (out) => {
    execFileSync('cc', ['-O2', '-o', out, src], { stdio: 'pipe' });
  });
}

/** Runs `targets <mode> <n>` to completion; returns its pid and stdout. */
export function runTargets(mode: 'getppid' | 'call' | 'usdt', n: number): { pid: number; stdout: string } {
  const r = spawnSync(targetsBinary(), [mode, String(n)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`targets ${mode} ${n} failed: ${r.stderr}`);
  return { pid: r.pid!, stdout: r.stdout };
}

/** Little-endian u64s, e.g. a raw_tp test_run context. */
export function u64s(...values: (number | bigint)[]): Buffer {
  const b = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), i * 8));
  return b;
}

export function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value, 0);
  return b;
}

/** The file offset of function `symbol` in an ELF64 executable (for attachUprobe). */
export function elfFunctionOffset(path: string, symbol: string): number {
  const f = readFileSync(path);
  if (f.readUInt32BE(0) !== 0x7f454c46 || f[4] !== 2) throw new Error(`${path}: not ELF64`);
  const phoff = Number(f.readBigUInt64LE(0x20));
  const shoff = Number(f.readBigUInt64LE(0x28));
  const phentsize = f.readUInt16LE(0x36);
  const phnum = f.readUInt16LE(0x38);
  const shentsize = f.readUInt16LE(0x3a);
  const shnum = f.readUInt16LE(0x3c);
  const sections = Array.from({ length: shnum }, (_, i) => {
    const o = shoff + i * shentsize;
    return {
      type: f.readUInt32LE(o + 4),
      offset: Number(f.readBigUInt64LE(o + 0x18)),
      size: Number(f.readBigUInt64LE(o + 0x20)),
      link: f.readUInt32LE(o + 0x28),
      entsize: Number(f.readBigUInt64LE(o + 0x38)),
    };
  });
  let vaddr: number | undefined;
  for (const s of sections) {
    if (s.type !== 2 /* SHT_SYMTAB */ && s.type !== 11 /* SHT_DYNSYM */) continue;
    const strtab = sections[s.link]!;
    for (let o = s.offset; o < s.offset + s.size; o += s.entsize) {
      const nameOff = f.readUInt32LE(o);
      const end = f.indexOf(0, strtab.offset + nameOff);
      if (f.toString('utf8', strtab.offset + nameOff, end) === symbol) vaddr = Number(f.readBigUInt64LE(o + 8));
    }
    if (vaddr !== undefined) break;
  }
  if (vaddr === undefined) throw new Error(`${path}: no symbol ${symbol}`);
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (f.readUInt32LE(o) !== 1 /* PT_LOAD */) continue;
    const offset = Number(f.readBigUInt64LE(o + 8));
    const segVaddr = Number(f.readBigUInt64LE(o + 0x10));
    const filesz = Number(f.readBigUInt64LE(o + 0x20));
    if (vaddr >= segVaddr && vaddr < segVaddr + filesz) return vaddr - segVaddr + offset;
  }
  throw new Error(`${path}: ${symbol} is in no loadable segment`);
}
