// bpf(BPF_LINK_CREATE) made by hand: libbpf 1.1's bpf_link_create knows
// neither kprobe_multi's later fields nor uprobe_multi, so the attr is laid
// out here and the syscall made through libc.
import { lastErrno, libc } from './native.ts';

/** bpf(2)'s syscall number. */
const SYS_bpf: number | undefined = { x64: 321, arm64: 280 }[process.arch as string];
const BPF_LINK_CREATE = 28;
/** union bpf_attr is accepted at any size the kernel knows; 64 bytes cover link_create's multi-probe fields. */
export const LINK_ATTR_SIZE = 64;

/** link_create's common head: the program and its attach type; the type's own fields follow at offset 16. */
export function linkAttr(progFd: number, attachType: number): Buffer {
  const attr = Buffer.alloc(LINK_ATTR_SIZE);
  attr.writeUInt32LE(progFd, 0); // prog_fd
  attr.writeUInt32LE(attachType, 8); // attach_type
  return attr;
}

/** bpf(BPF_LINK_CREATE) over a laid-out attr; the link's fd or -errno. */
export function linkCreateAttr(attr: Buffer): number {
  if (SYS_bpf === undefined) return -38; // ENOSYS
  const fd = Number(libc('syscall')(SYS_bpf, 'int', BPF_LINK_CREATE, 'void *', attr, 'uint', attr.length));
  return fd < 0 ? -lastErrno() : fd;
}

/** bpf(BPF_LINK_CREATE) with `fill` writing the attach-type-specific part at offset 16; returns the fd or -errno. */
export function linkCreate(progFd: number, attachType: number, fill: (attr: Buffer) => void): number {
  const attr = linkAttr(progFd, attachType);
  fill(attr);
  return linkCreateAttr(attr);
}
