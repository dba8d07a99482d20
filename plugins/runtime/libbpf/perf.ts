// perf_event_open, CPU counts and file descriptors.

import { readFileSync } from 'node:fs';
import { BpfError } from './errors.ts';
import { bpf, lastErrno, libc } from './native.ts';

/** perf_event_attr.type */
export const PerfType = {
  HARDWARE: 0,
  SOFTWARE: 1,
  TRACEPOINT: 2,
  HW_CACHE: 3,
  RAW: 4,
  BREAKPOINT: 5,
} as const;

/** perf_event_attr.config for PerfType.SOFTWARE */
export const PerfSoftware = {
  CPU_CLOCK: 0,
  TASK_CLOCK: 1,
  PAGE_FAULTS: 2,
  CONTEXT_SWITCHES: 3,
  CPU_MIGRATIONS: 4,
  PAGE_FAULTS_MIN: 5,
  PAGE_FAULTS_MAJ: 6,
  ALIGNMENT_FAULTS: 7,
  EMULATION_FAULTS: 8,
  DUMMY: 9,
  BPF_OUTPUT: 10,
  CGROUP_SWITCHES: 11,
} as const;

/** perf_event_attr.config for PerfType.HARDWARE */
export const PerfHardware = {
  CPU_CYCLES: 0,
  INSTRUCTIONS: 1,
  CACHE_REFERENCES: 2,
  CACHE_MISSES: 3,
  BRANCH_INSTRUCTIONS: 4,
  BRANCH_MISSES: 5,
  BUS_CYCLES: 6,
  STALLED_CYCLES_FRONTEND: 7,
  STALLED_CYCLES_BACKEND: 8,
  REF_CPU_CYCLES: 9,
} as const;

/** perf_event_attr.bp_type for PerfType.BREAKPOINT */
export const PerfBreakpoint = { R: 1, W: 2, RW: 3, X: 4 } as const;

export interface PerfEventOptions {
  type: number;
  config: number | bigint;
  /** Sample every N events (exclusive with sampleFreq). */
  samplePeriod?: number | bigint;
  /** Sample N times a second (sets the `freq` bit). */
  sampleFreq?: number | bigint;
  /** CPU to count on; -1 with a pid counts that task on any CPU. */
  cpu: number;
  /** Task to count; -1 (default) for every task on `cpu`. */
  pid?: number;
  groupFd?: number;
  /** perf_event_open flags; default PERF_FLAG_FD_CLOEXEC. */
  flags?: number;
  /** Open disabled (libbpf's attach enables it). Default false. */
  disabled?: boolean;
  inherit?: boolean;
  excludeUser?: boolean;
  excludeKernel?: boolean;
  excludeHv?: boolean;
  excludeIdle?: boolean;
  sampleType?: bigint;
  wakeupEvents?: number;
  /** config1 (or bp_addr for breakpoints). */
  config1?: bigint;
  /** config2 (or bp_len for breakpoints). */
  config2?: bigint;
  bpType?: number;
}

/** perf_event_open's syscall number (it differs per architecture). */
const SYS_perf_event_open: number | undefined = { x64: 298, arm64: 241 }[process.arch as string];
const PERF_FLAG_FD_CLOEXEC = 8;
/** PERF_ATTR_SIZE_VER7: everything up to sig_data; the kernel accepts any known size. */
export const PERF_ATTR_SIZE = 128;

/** Lays out a `struct perf_event_attr` (include/uapi/linux/perf_event.h). */
export function perfEventAttr(o: PerfEventOptions): Buffer {
  const b = Buffer.alloc(PERF_ATTR_SIZE);
  b.writeUInt32LE(o.type, 0);
  b.writeUInt32LE(PERF_ATTR_SIZE, 4);
  b.writeBigUInt64LE(BigInt(o.config), 8);
  if (o.samplePeriod !== undefined && o.sampleFreq !== undefined) {
    throw new TypeError('perfEventOpen: samplePeriod and sampleFreq are exclusive');
  }
  b.writeBigUInt64LE(BigInt(o.sampleFreq ?? o.samplePeriod ?? 0), 16);
  b.writeBigUInt64LE(o.sampleType ?? 0n, 24);
  // read_format at 32 stays 0. The flag bits at 40 (a u64 bitfield):
  let flags = 0n;
  if (o.disabled) flags |= 1n << 0n;
  if (o.inherit) flags |= 1n << 1n;
  if (o.excludeUser) flags |= 1n << 4n;
  if (o.excludeKernel) flags |= 1n << 5n;
  if (o.excludeHv) flags |= 1n << 6n;
  if (o.excludeIdle) flags |= 1n << 7n;
  if (o.sampleFreq !== undefined) flags |= 1n << 10n;
  b.writeBigUInt64LE(flags, 40);
  b.writeUInt32LE(o.wakeupEvents ?? 0, 48);
  b.writeUInt32LE(o.bpType ?? 0, 52);
  b.writeBigUInt64LE(o.config1 ?? 0n, 56);
  b.writeBigUInt64LE(o.config2 ?? 0n, 64);
  return b;
}

/** perf_event_open(2); returns the event's file descriptor or throws a BpfError. */
export function perfEventOpen(options: PerfEventOptions): number {
  if (SYS_perf_event_open === undefined) throw new Error(`perfEventOpen: no syscall number for ${process.arch}`);
  const attr = perfEventAttr(options);
  const pid = options.pid ?? -1;
  const fd: number = libc('syscall')(
    SYS_perf_event_open,
    'void *', attr,
    'int', pid,
    'int', options.cpu,
    'int', options.groupFd ?? -1,
    'ulong', options.flags ?? PERF_FLAG_FD_CLOEXEC,
  );
  const errno = lastErrno();
  if (fd < 0) {
    throw new BpfError(`perf_event_open(type=${options.type}, config=${options.config}, cpu=${options.cpu}, pid=${pid})`, {
      op: 'perf_event_open',
      errno,
    });
  }
  return Number(fd);
}

/** close(2); a negative fd is ignored. Errors (EBADF) are ignored as well: closing is best effort. */
export function closeFd(fd: number): void {
  if (fd >= 0) libc('close')(fd);
}

let possibleCpus: number | undefined;

/** libbpf_num_possible_cpus(): the per-CPU map value count. */
export function numPossibleCpus(): number {
  if (possibleCpus === undefined) {
    const n: number = bpf('libbpf_num_possible_cpus')();
    if (n <= 0) throw new BpfError('libbpf_num_possible_cpus', { op: 'libbpf_num_possible_cpus', errno: -n });
    possibleCpus = n;
  }
  return possibleCpus;
}

/** Parses a kernel CPU list (`0-3,5,7-8`). */
export function parseCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    if (!part) continue;
    const [a, b] = part.split('-');
    const lo = Number(a);
    const hi = b === undefined ? lo : Number(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new Error(`bad CPU list: ${text}`);
    for (let c = lo; c <= hi; c++) cpus.push(c);
  }
  return cpus;
}

/** The online CPUs, from /sys/devices/system/cpu/online. */
export function onlineCpus(): number[] {
  return parseCpuList(readFileSync('/sys/devices/system/cpu/online', 'utf8'));
}
