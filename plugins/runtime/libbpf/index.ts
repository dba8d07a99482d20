// runtime-libbpf: the native layer. libbpf through koffi (no compiled addon):
// BPF objects, programs, links, maps, perf events and a zero-copy ring buffer reader.
// Raw pointers never leave this room.

export { BpfError, errnoName, errnoMessage, extractVerifierLog, verifierTail, refusedHelper, VERIFIER_TAIL_LINES } from './errors.ts';
export type { BpfErrorDetails } from './errors.ts';
export { BpfObject } from './object.ts';
export { linkObjects } from './linker.ts';
export type { OpenOptions } from './object.ts';
export { BpfProgram, BpfLink, BpfIterLink } from './program.ts';
export type { TestRunOptions, Link } from './program.ts';
export { BpfFdLink } from './fd-link.ts';
export { uprobeMultiAttr, uprobeMultiSupported, uprobeMultiLoadType, UPROBE_MULTI_SECTIONS } from './uprobe-multi.ts';
export type { UprobeMultiFields } from './uprobe-multi.ts';
export { BpfMap, BpfMapType, MapUpdate } from './map.ts';
export type { MapEntries, EntriesOptions } from './map.ts';
export {
  perfEventOpen,
  perfEventAttr,
  closeFd,
  numPossibleCpus,
  onlineCpus,
  parseCpuList,
  PerfType,
  PerfSoftware,
  PerfHardware,
  PerfBreakpoint,
  PERF_ATTR_SIZE,
} from './perf.ts';
export type { PerfEventOptions } from './perf.ts';
export { RingBufferReader, EventPump, pageSize } from './ringbuf.ts';
export type { RecordHandler, EventPumpOptions } from './ringbuf.ts';
export { libbpfVersion } from './version.ts';
export { withLibbpfLog } from './errors.ts';
export { probeProgType, probeMapType, probeHelper, probeMapBatch, probeKprobeMulti, probeUprobeMulti, probeTracing, loadRawProgram, ProgType, MapType, AttachType, TracingAttach } from './features.ts';
export type { RawLoadOptions, RawLoadResult } from './features.ts';
export { Clock, clockNs, localStrftime } from './clock.ts';
export { detectFeatures } from './kernel-features.ts';
export { functionSizes, programFdInfo, BPF_INSN_BYTES } from './program-details.ts';
// The seam: the SDK's Runtime over the classes above, and the plugin that binds it.
export { LibbpfRuntime, libbpfRuntimePlugin } from './runtime.ts';
export { LibbpfObject } from './runtime-object.ts';
export { LibbpfProgram } from './runtime-program.ts';
export { LibbpfMap } from './runtime-map.ts';
