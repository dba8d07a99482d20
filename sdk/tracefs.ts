/** One field of a tracepoint's format file. */
export interface TracepointField {
  name: string;
  /** C declaration type as written (`const char *`, `char[16]`, `__data_loc char[]`). */
  cType: string;
  offset: number;
  size: number;
  signed: boolean;
  /** Element count for arrays (`char comm[16]` → 16). */
  arrayLength?: number;
}

export interface TracepointFormat {
  category: string;
  event: string;
  id: number;
  fields: TracepointField[];
}

export interface Tracefs {
  readonly root: string;
  /** `category:event` pairs matching glob patterns (`*`, `?`, `[..]`) in each part. */
  listTracepoints(categoryGlob: string, eventGlob: string): { category: string; event: string }[];
  format(category: string, event: string): TracepointFormat;
  /** Names of raw tracepoints the kernel has (from BTF `btf_trace_*` or tracefs events). */
  listRawTracepoints(glob: string): string[];
  /** Whether `category:event` is a dynamic event (kprobe, uprobe, synthetic, eprobe events: no raw tracepoint of that name). */
  isDynamicEvent?(category: string, event: string): boolean;
  /** The running kernel's release (`uname -r`): which layouts its syscall events can be rebuilt from (providers/tracepoint/syscall-hooks.ts). */
  kernelRelease?(): string;
  /** Why tracefs cannot be read (not mounted, with how to mount it), or undefined when it can. */
  unavailable?(): string | undefined;
}
