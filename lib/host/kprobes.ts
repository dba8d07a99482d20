// Whether this kernel has kprobes: the perf `kprobe` event source (what
// BPF kprobes attach through) or tracefs' kprobe_events (the older way).
// A kernel built without CONFIG_KPROBES has neither.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const KPROBE_EVENT_SOURCE = '/sys/bus/event_source/devices/kprobe';
const TRACEFS_ROOTS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

/** True when kprobes can attach here (the check costs a few stat calls). */
export function kernelHasKprobes(tracefsRoot?: string): boolean {
  if (existsSync(KPROBE_EVENT_SOURCE)) return true;
  const roots = tracefsRoot !== undefined ? [tracefsRoot, ...TRACEFS_ROOTS] : TRACEFS_ROOTS;
  return roots.some((root) => existsSync(join(root, 'kprobe_events')));
}
