// `comm`, the current thread's name: read straight from `task_struct.comm`
// where the kernel allows it, else through the `get_current_comm` helper.
//
// The helper copies the name with strscpy and pads it with NULs; the kernel
// keeps `comm` that way already (__set_task_comm pads with strscpy_pad, fork
// copies the parent's, the idle tasks' names are written over zeros), so two
// 8-byte loads from the task (bpf_get_current_task_btf, kernel 5.11) give the
// same 16 bytes for ~40 ns less per event on this machine. The loads are
// normalised as the helper would copy them: everything after the first NUL
// is zeroed and the last byte is always NUL, so a name read while another
// thread renames the task (/proc/<tid>/comm) is still one well-formed string,
// and a map keyed by `comm` never holds two keys that print alike.
//
// The member's offset comes from the kernel's BTF (KernelTypes.memberLayout,
// a few reads of the file) and is written into the C as a number, in a
// file-scope function: a CO-RE relocation would have libbpf read the whole
// BTF at every load (~150 ms here).
import { endianness, release } from 'node:os';
import type { EmitContext } from '../../sdk/index.ts';

const COMM_SIZE = 16;

/** Program sections whose type offers bpf_get_current_task_btf (the tracing helpers: kprobe, tracepoint, raw and BTF tracepoints, perf events, iterators). */
const TRACING_SECTIONS = /^(raw_tp|raw_tracepoint|tp_btf|tracepoint|tp|perf_event|uprobe|uretprobe|usdt|kprobe|kretprobe|kprobe\.multi|kretprobe\.multi|uprobe\.multi|uretprobe\.multi|fentry|fexit|fmod_ret|iter)(\.s)?(\/|$)/;

/** Whether the kernel has bpf_get_current_task_btf (5.11 and later). */
function hasCurrentTaskBtf(kernelRelease: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(kernelRelease);
  return m !== null && (Number(m[1]) > 5 || (Number(m[1]) === 5 && Number(m[2]) >= 11));
}

/** The byte offset of `task_struct.comm` when this probe's program can read it directly; undefined for the helper. */
function directCommOffset(ec: EmitContext): number | undefined {
  if (endianness() !== 'LE' || !TRACING_SECTIONS.test(ec.probe.section) || !hasCurrentTaskBtf(release())) return undefined;
  const layout = ec.kernelTypes.memberLayout('task_struct', 'comm');
  return layout?.size === COMM_SIZE ? layout.offset : undefined;
}

/**
 * The file-scope reader. Per 8-byte word (little-endian: byte 0 is the low
 * one), `z` flags the zero bytes; its lowest flag, which no borrow can fake,
 * is the first NUL, and `((z & -z) >> 7) - 1` keeps the bytes before it (all
 * eight when there is none). The second word counts only when the first has
 * no NUL.
 */
function readerFunction(cType: string, offset: number): string {
  return `/* task_struct.comm at its offset in this kernel's BTF, normalised as bpf_get_current_comm copies it. */
static __always_inline ${cType} bs_current_comm(void)
{
  const __u64 *c = (const __u64 *)((const char *)bpf_get_current_task_btf() + ${offset});
  __u64 w0 = c[0], w1 = c[1] & 0x00ffffffffffffffULL;
  __u64 z0 = (w0 - 0x0101010101010101ULL) & ~w0 & 0x8080808080808080ULL;
  __u64 z1 = (w1 - 0x0101010101010101ULL) & ~w1 & 0x8080808080808080ULL;
  ${cType} name;
  ((__u64 *)name.s)[0] = w0 & (((z0 & -z0) >> 7) - 1);
  ((__u64 *)name.s)[1] = z0 ? 0 : w1 & (((z1 & -z1) >> 7) - 1);
  return name;
}
`;
}

/** C of the current thread's name, a value of `cType` (the 16-byte string struct). */
export function currentCommC(ec: EmitContext, cType: string): string {
  const offset = directCommOffset(ec);
  // No zeroing first: the helper writes all 16 bytes (the name padded with NULs, or zeros if it fails).
  if (offset === undefined) return `({ ${cType} __comm; bpf_get_current_comm(__comm.s, sizeof(__comm.s)); __comm; })`;
  ec.declare(readerFunction(cType, offset));
  return 'bs_current_comm()';
}
