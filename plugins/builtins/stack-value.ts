// What a kstack/ustack value is: one int64 that names a stack in a stack map
// and carries what printing and len() need besides, so stacks stay cheap map
// keys. Its bits, from the lowest:
//
//   0..31   the stack id bpf_get_stackid gave (the key of the stack map);
//   32..38  the number of frames, up to the call's limit (only counted when the
//           program asks len() of a stack: counting unwinds the stack again);
//   39..60  for ustack, the process (tgid, as bpfscript's /proc numbers it: own-tgid.ts) whose memory
//           map names its frames; pids stop below 2^22 (PID_MAX_LIMIT).
//
// A failed bpf_get_stackid leaves the (negative) error: an empty stack.
import type { RenderTag, RunSession } from '../../sdk/index.ts';

export type StackMode = 'bpftrace' | 'perf' | 'raw' | 'build_id';
export const stackModes: readonly StackMode[] = ['bpftrace', 'perf', 'raw', 'build_id'];

/** The deepest stack the kernel records (the default `kernel.perf_event_max_stack`). */
export const MAX_FRAMES = 127;
export const FRAMES_SHIFT = 32;
export const FRAMES_MASK = 0x7f;
export const PID_SHIFT = 39;

/** A stack value's tag: which stack map holds its frames, and how to print at most `limit` of them. */
export interface StackTag extends RenderTag {
  kind: 'kstack' | 'ustack';
  map: string;
  mode: StackMode;
  limit: number;
}

/** The parts of a stack value. */
export function unpackStack(value: bigint): { id: number; frames: number; pid: number } | undefined {
  const v = BigInt.asIntN(64, value);
  if (v < 0n) return undefined;
  return {
    id: Number(v & 0xffffffffn),
    frames: Number((v >> BigInt(FRAMES_SHIFT)) & BigInt(FRAMES_MASK)),
    pid: Number(v >> BigInt(PID_SHIFT)),
  };
}

/** Bytes of one frame in a stack map: an address, or in build_id mode a `struct bpf_stack_build_id`. */
export function frameSize(mode: StackMode): number {
  return mode === 'build_id' ? 32 : 8;
}

/** A frame of a build_id stack: the file's build ID and the offset in it, or only the address when the kernel found no build ID. */
export interface BuildIdFrame {
  buildId?: string;
  offset: bigint;
  ip: bigint;
}

/** The raw value of stack `id` in a stack map, or undefined (a failed or evicted stack). */
function stackBytes(session: RunSession, map: string, id: number): Uint8Array | undefined {
  const key = Buffer.alloc(4);
  key.writeUInt32LE(id);
  return session.map(map).lookup(key);
}

/** The instruction pointers of stack `id`, the unused tail left out. */
export function stackAddresses(session: RunSession, map: string, id: number): bigint[] {
  const value = stackBytes(session, map, id);
  if (!value) return [];
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const frames: bigint[] = [];
  for (let o = 0; o + 8 <= value.length; o += 8) {
    const ip = view.getBigUint64(o, true);
    if (ip === 0n) break;
    frames.push(ip);
  }
  return frames;
}

/** The frames of build_id stack `id` (`struct bpf_stack_build_id`: s32 status, u8 build_id[20], u64 offset-or-ip). */
export function stackBuildIdFrames(session: RunSession, map: string, id: number): BuildIdFrame[] {
  const value = stackBytes(session, map, id);
  if (!value) return [];
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const frames: BuildIdFrame[] = [];
  for (let o = 0; o + 32 <= bytes.length; o += 32) {
    const status = bytes.readInt32LE(o);
    const word = bytes.readBigUInt64LE(o + 24);
    if (status === 1) frames.push({ buildId: bytes.toString('hex', o + 4, o + 24), offset: word, ip: 0n });
    else if (status === 2) frames.push({ offset: 0n, ip: word });
    else break;
  }
  return frames;
}
