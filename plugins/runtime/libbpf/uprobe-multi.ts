// uprobe_multi links (kernel 6.6+): one link attaches a program at many
// offsets of one binary, each with its BPF cookie. libbpf 1.1 knows neither
// the link nor the `uprobe.multi` sections, so the programs of those sections
// get their type and expected attach type here before load, and the link is
// made with bpf(BPF_LINK_CREATE). Where the kernel has no such links (probed
// once), the programs load as plain uprobes and get a link per offset.
import { BpfError } from './errors.ts';
import { AttachType, ProgType, probeUprobeMulti } from './features.ts';
import { linkAttr, linkCreateAttr } from './link-create.ts';
import { isNull, libc, nativeView, type Ptr } from './native.ts';
import { cString } from './object.ts';

/** The sections of programs attached by uprobe_multi links (libbpf's names for them since 1.3). */
export const UPROBE_MULTI_SECTIONS: ReadonlySet<string> = new Set(['uprobe.multi', 'uretprobe.multi']);

/** link_create.uprobe_multi.flags: the probes are return probes. */
const BPF_F_UPROBE_MULTI_RETURN = 1;

/** What link_create.uprobe_multi holds; pointers are native addresses. */
export interface UprobeMultiFields {
  progFd: number;
  /** A NUL-terminated path. */
  path: bigint;
  /** `count` u64 file offsets. */
  offsets: bigint;
  /** `count` u64 cookies. */
  cookies: bigint;
  count: number;
  retprobe: boolean;
  /** Only this process (a pid of 0 or less: every process). */
  pid: number;
}

/** union bpf_attr for BPF_LINK_CREATE of a uprobe_multi link. */
export function uprobeMultiAttr(f: UprobeMultiFields): Buffer {
  const attr = linkAttr(f.progFd, AttachType.UPROBE_MULTI);
  attr.writeBigUInt64LE(f.path, 16); // uprobe_multi.path
  attr.writeBigUInt64LE(f.offsets, 24); // uprobe_multi.offsets
  // ref_ctr_offsets (32) stay NULL: no USDT semaphores here.
  attr.writeBigUInt64LE(f.cookies, 40); // uprobe_multi.cookies
  attr.writeUInt32LE(f.count, 48); // uprobe_multi.cnt
  attr.writeUInt32LE(f.retprobe ? BPF_F_UPROBE_MULTI_RETURN : 0, 52); // uprobe_multi.flags
  attr.writeUInt32LE(f.pid > 0 ? f.pid : 0, 56); // uprobe_multi.pid
  return attr;
}

let supported: boolean | undefined;

/**
 * Whether this kernel makes uprobe_multi links, probed once per process.
 * BPFSCRIPT_NO_UPROBE_MULTI=1 answers no (to exercise the link-per-offset path).
 */
export function uprobeMultiSupported(): boolean {
  if (process.env.BPFSCRIPT_NO_UPROBE_MULTI === '1') return false;
  return (supported ??= probeUprobeMulti());
}

/** The type and expected attach type a program of `section` loads with, or undefined when it is no uprobe_multi section. */
export function uprobeMultiLoadType(section: string, multi: boolean): { type: number; expectedAttachType: number } | undefined {
  if (!UPROBE_MULTI_SECTIONS.has(section)) return undefined;
  return { type: ProgType.KPROBE, expectedAttachType: multi ? AttachType.UPROBE_MULTI : 0 };
}

/** `values` as u64s in malloc'd memory (freed by the caller). */
function u64Array(values: readonly number[]): Ptr {
  const p = libc('malloc')(Math.max(8, values.length * 8)) as Ptr | null;
  if (isNull(p)) throw new Error('out of memory');
  const view = new BigUint64Array(nativeView(p!, values.length * 8));
  values.forEach((v, i) => (view[i] = BigInt(v)));
  return p!;
}

/** Makes the link; its fd. A refusal is a BpfError named after the attach point. */
export function createUprobeMultiLink(progFd: number, description: string, retprobe: boolean, pid: number, path: string, offsets: readonly number[], cookies: readonly number[]): number {
  const pathPtr = cString(path);
  const offsetsPtr = u64Array(offsets);
  const cookiesPtr = u64Array(cookies);
  try {
    const fd = linkCreateAttr(uprobeMultiAttr({ progFd, path: pathPtr, offsets: offsetsPtr, cookies: cookiesPtr, count: offsets.length, retprobe, pid }));
    if (fd < 0) throw new BpfError(`cannot attach program to ${description}`, { op: 'bpf_link_create', errno: -fd });
    return fd;
  } finally {
    libc('free')(cookiesPtr);
    libc('free')(offsetsPtr);
    libc('free')(pathPtr);
  }
}
