// Kernel feature probes (for `--info`): libbpf's own probes for program types,
// map types and helpers, and raw program loads for what libbpf does not probe
// (the verifier's instruction limit, bounded loops, attach types).

import { bpf, isNull, lastErrno, libc, nativeView, type Ptr } from './native.ts';
import { cString } from './object.ts';
import { linkCreate } from './link-create.ts';

/** enum bpf_prog_type values used by the probes. */
export const ProgType = {
  KPROBE: 2,
  TRACEPOINT: 5,
  PERF_EVENT: 7,
  RAW_TRACEPOINT: 17,
  TRACING: 26,
} as const;

/** enum bpf_map_type values used by the probes. */
export const MapType = {
  HASH: 1,
  ARRAY: 2,
  PERF_EVENT_ARRAY: 4,
  PERCPU_HASH: 5,
  PERCPU_ARRAY: 6,
  STACK_TRACE: 7,
  LRU_HASH: 9,
  LRU_PERCPU_HASH: 10,
  RINGBUF: 27,
} as const;

/** enum bpf_attach_type values used by the probes. */
export const AttachType = {
  KPROBE_MULTI: 42,
  UPROBE_MULTI: 48,
  KPROBE_SESSION: 56,
} as const;

/** Whether the kernel loads programs of this type (libbpf_probe_bpf_prog_type). */
export function probeProgType(type: number): boolean {
  try {
    return bpf('libbpf_probe_bpf_prog_type')(type, null) === 1;
  } catch {
    return false;
  }
}

/** Whether the kernel creates maps of this type (libbpf_probe_bpf_map_type). */
export function probeMapType(type: number): boolean {
  try {
    return bpf('libbpf_probe_bpf_map_type')(type, null) === 1;
  } catch {
    return false;
  }
}

/** Whether programs of `progType` may call helper `helperId` (libbpf_probe_bpf_helper). */
export function probeHelper(progType: number, helperId: number): boolean {
  try {
    return bpf('libbpf_probe_bpf_helper')(progType, helperId, null) === 1;
  } catch {
    return false;
  }
}

/** sizeof(struct bpf_prog_load_opts) in libbpf 1.1 (up to log_buf). */
const PROG_LOAD_OPTS_SIZE = 104;
const LOG_SIZE = 64 * 1024;

export interface RawLoadOptions {
  expectedAttachType?: number;
  /** Verifier log level (1: trace, 4: statistics). */
  logLevel?: number;
}

export interface RawLoadResult {
  ok: boolean;
  /** errno of a failed load. */
  errno: number;
  /** The verifier's log, when a log level was asked for. */
  log: string;
}

/**
 * Loads a program given as raw instructions (8 bytes each) and closes it at once:
 * a probe of what the verifier accepts. The license is GPL.
 */
export function loadRawProgram(progType: number, insns: Uint8Array, options: RawLoadOptions = {}): RawLoadResult {
  const opts = Buffer.alloc(PROG_LOAD_OPTS_SIZE);
  opts.writeBigUInt64LE(BigInt(PROG_LOAD_OPTS_SIZE), 0); // sz
  opts.writeUInt32LE(options.expectedAttachType ?? 0, 12); // expected_attach_type
  let logBuf: Ptr | null = null;
  if (options.logLevel) {
    logBuf = libc('malloc')(LOG_SIZE) as Ptr | null;
    if (isNull(logBuf)) throw new Error('out of memory');
    new Uint8Array(nativeView(logBuf!, 1))[0] = 0;
    opts.writeUInt32LE(options.logLevel, 88); // log_level
    opts.writeUInt32LE(LOG_SIZE, 92); // log_size
    opts.writeBigUInt64LE(logBuf!, 96); // log_buf
  }
  try {
    const fd: number = bpf('bpf_prog_load')(progType, null, 'GPL', Buffer.from(insns), insns.length / 8, opts);
    const errno = fd < 0 ? -fd || lastErrno() : 0;
    if (fd >= 0) libc('close')(fd);
    let log = '';
    if (logBuf) {
      const bytes = new Uint8Array(nativeView(logBuf, LOG_SIZE));
      const end = bytes.indexOf(0);
      log = Buffer.from(bytes.subarray(0, end < 0 ? LOG_SIZE : end)).toString('utf8');
    }
    return { ok: fd >= 0, errno, log };
  } finally {
    if (logBuf) libc('free')(logBuf);
  }
}

/**
 * Whether BPF_MAP_LOOKUP_BATCH works: a small hash map is created and read in
 * one batch (an empty map answers ENOENT when batches are supported).
 */
export function probeMapBatch(): boolean {
  const fd: number = bpf('bpf_map_create')(MapType.HASH, null, 4, 4, 1, null);
  if (fd < 0) return false;
  try {
    const keys = Buffer.alloc(4);
    const values = Buffer.alloc(4);
    const outBatch = Buffer.alloc(4);
    const count = Buffer.alloc(4);
    count.writeUInt32LE(1, 0);
    const r: number = bpf('bpf_map_lookup_batch')(fd, null, outBatch, keys, values, count, null);
    const errno = r < 0 ? -r : 0;
    return r === 0 || errno === 2; // ENOENT: nothing (more) to read
  } finally {
    libc('close')(fd);
  }
}

/** A tiny `return 0` KPROBE program loaded for a multi-attach type; its fd, or -1. */
function multiProgram(attachType: number): number {
  const insns = Buffer.alloc(16);
  insns[0] = 0xb7; // r0 = 0
  insns[8] = 0x95; // exit
  const opts = Buffer.alloc(PROG_LOAD_OPTS_SIZE);
  opts.writeBigUInt64LE(BigInt(PROG_LOAD_OPTS_SIZE), 0);
  opts.writeUInt32LE(attachType, 12);
  const fd: number = bpf('bpf_prog_load')(ProgType.KPROBE, null, 'GPL', insns, 2, opts);
  return fd < 0 ? -1 : fd;
}

/**
 * Whether kprobe_multi (or kprobe_session) links can be made: a link on one
 * kernel function is created and closed at once, as bpftrace probes it.
 */
export function probeKprobeMulti(attachType: number = AttachType.KPROBE_MULTI, symbol = 'ksys_read'): boolean {
  const prog = multiProgram(attachType);
  if (prog < 0) return false;
  const sym = cString(symbol);
  const syms = Buffer.alloc(8);
  syms.writeBigUInt64LE(sym, 0);
  const symsPtr = libc('malloc')(8) as Ptr;
  try {
    new Uint8Array(nativeView(symsPtr, 8)).set(syms);
    const fd = linkCreate(prog, attachType, (attr) => {
      attr.writeUInt32LE(1, 20); // kprobe_multi.cnt
      attr.writeBigUInt64LE(symsPtr, 24); // kprobe_multi.syms
    });
    if (fd >= 0) libc('close')(fd);
    return fd >= 0;
  } finally {
    libc('free')(symsPtr);
    libc('free')(sym);
    libc('close')(prog);
  }
}

/**
 * Whether uprobe_multi links exist: a link on the directory `/` is refused with
 * EBADF by a kernel that has them (the path is looked up and is not a regular
 * file) and with EINVAL by one that does not know the attach type; this is how
 * bpftrace probes it too.
 */
export function probeUprobeMulti(): boolean {
  const prog = multiProgram(AttachType.UPROBE_MULTI);
  if (prog < 0) return false;
  const path = cString('/');
  const offsets = libc('malloc')(8) as Ptr;
  try {
    new Uint8Array(nativeView(offsets, 8)).fill(0);
    const fd = linkCreate(prog, AttachType.UPROBE_MULTI, (attr) => {
      attr.writeBigUInt64LE(path, 16); // uprobe_multi.path
      attr.writeBigUInt64LE(offsets, 24); // uprobe_multi.offsets
      attr.writeUInt32LE(1, 48); // uprobe_multi.cnt
    });
    if (fd >= 0) libc('close')(fd);
    return fd === -9; // EBADF
  } finally {
    libc('free')(offsets);
    libc('free')(path);
    libc('close')(prog);
  }
}

/** enum bpf_attach_type values of tracing programs. */
export const TracingAttach = {
  FENTRY: 24,
  ITER: 28,
} as const;

/**
 * Whether a `return 0` tracing program loads against vmlinux BTF type
 * `btfId` (a FUNC) with `attachType`, and, when `link` is set, whether it can
 * also be attached (fentry needs the kernel's trampolines).
 */
export function probeTracing(attachType: number, btfId: number, link: boolean): boolean {
  const insns = Buffer.alloc(16);
  insns[0] = 0xb7; // r0 = 0
  insns[8] = 0x95; // exit
  const opts = Buffer.alloc(PROG_LOAD_OPTS_SIZE);
  opts.writeBigUInt64LE(BigInt(PROG_LOAD_OPTS_SIZE), 0);
  opts.writeUInt32LE(attachType, 12); // expected_attach_type
  opts.writeUInt32LE(btfId, 32); // attach_btf_id
  const prog: number = bpf('bpf_prog_load')(ProgType.TRACING, null, 'GPL', insns, 2, opts);
  if (prog < 0) return false;
  try {
    if (!link) return true;
    const fd = linkCreate(prog, attachType, () => {});
    if (fd >= 0) libc('close')(fd);
    return fd >= 0;
  } finally {
    libc('close')(prog);
  }
}
