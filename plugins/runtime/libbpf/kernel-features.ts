// Kernel feature probing for `--info`: every feature is probed for real:
// programs and maps are loaded or created (and closed at once), helpers are
// checked by libbpf's probes, the instruction limit is read from the
// verifier's log.
import { existsSync, readdirSync } from 'node:fs';
import { Btf } from '../../../lib/btf/index.ts';
import type { KernelFeatures } from '../../../sdk/index.ts';
import { AttachType, MapType, ProgType, TracingAttach, loadRawProgram, probeHelper, probeKprobeMulti, probeMapBatch, probeMapType, probeProgType, probeTracing, probeUprobeMulti } from './features.ts';

/** Helper ids (include/uapi/linux/bpf.h) and the program type bpftrace checks them with. */
const helperProbes: [name: string, id: number, progType: number][] = [
  ['probe_read', 4, ProgType.KPROBE],
  ['probe_read_str', 45, ProgType.KPROBE],
  ['probe_read_user', 112, ProgType.KPROBE],
  ['probe_read_user_str', 114, ProgType.KPROBE],
  ['probe_read_kernel', 113, ProgType.KPROBE],
  ['probe_read_kernel_str', 115, ProgType.KPROBE],
  ['get_current_cgroup_id', 80, ProgType.KPROBE],
  ['send_signal', 109, ProgType.KPROBE],
  ['override_return', 58, ProgType.KPROBE],
  ['get_boot_ns', 125, ProgType.KPROBE],
  ['dpath', 147, ProgType.TRACING],
  ['skboutput', 111, ProgType.TRACING],
  ['get_tai_ns', 208, ProgType.KPROBE],
  ['get_func_ip', 173, ProgType.KPROBE],
  ['jiffies64', 118, ProgType.KPROBE],
  ['for_each_map_elem', 164, ProgType.KPROBE],
];

function insns(...words: [code: number, regs: number, off: number, imm: number][]): Buffer {
  const b = Buffer.alloc(words.length * 8);
  words.forEach(([code, regs, off, imm], i) => {
    b[i * 8] = code;
    b[i * 8 + 1] = regs;
    b.writeInt16LE(off, i * 8 + 2);
    b.writeInt32LE(imm, i * 8 + 4);
  });
  return b;
}

/** `processed 2 insns (limit 1000000) ...` from the log of a two-instruction program. */
function instructionLimit(): number {
  const r = loadRawProgram(ProgType.KPROBE, insns([0x18, 0, 0, 0], [0, 0, 0, 0], [0x95, 0, 0, 0]), { logLevel: 1 });
  const m = /processed \d+ insns \(limit (\d+)\)/.exec(r.log);
  return r.ok && m ? Number(m[1]) : -1;
}

/** A loop back to an earlier instruction: r0 = 0; do r0 += 1 while r0 < 4. */
function loops(): boolean {
  return loadRawProgram(ProgType.TRACEPOINT, insns([0xb7, 0, 0, 0], [0x07, 0, 0, 1], [0xa5, 0, -2, 4], [0x95, 0, 0, 0])).ok;
}

function vmlinuxFunc(btf: Btf | undefined, name: string): number | undefined {
  try {
    return btf?.findByName('func', name);
  } catch {
    return undefined;
  }
}

/** Probes the running kernel. `noFeatures` report `no`, as bpftrace's --no-feature does. */
export function detectFeatures(noFeatures: ReadonlySet<string> = new Set()): KernelFeatures {
  const btfPresent = existsSync('/sys/kernel/btf/vmlinux');
  let btf: Btf | undefined;
  try {
    btf = btfPresent ? Btf.open() : undefined;
  } catch {
    btf = undefined;
  }
  const fentryTarget = vmlinuxFunc(btf, 'sched_fork');
  const iterTarget = vmlinuxFunc(btf, 'bpf_iter_task');
  const moduleBtf = btfPresent && readdirSync('/sys/kernel/btf').some((f) => f !== 'vmlinux');
  const rawTpSpecial = loadRawProgram(ProgType.RAW_TRACEPOINT, insns([0xb7, 0, 0, 0], [0x95, 0, 0, 0])).ok;
  return {
    helpers: helperProbes.map(([name, id, type]) => [name, probeHelper(type, id)]),
    instructionLimit: instructionLimit(),
    loops: loops(),
    btf: btfPresent,
    moduleBtf,
    mapBatch: probeMapBatch(),
    uprobeRefcount: existsSync('/sys/bus/event_source/devices/uprobe/format/ref_ctr_offset'),
    maps: [
      ['hash', probeMapType(MapType.HASH)],
      ['percpu hash', probeMapType(MapType.PERCPU_HASH)],
      ['array', probeMapType(MapType.ARRAY)],
      ['percpu array', probeMapType(MapType.PERCPU_ARRAY)],
      ['stack_trace', probeMapType(MapType.STACK_TRACE)],
      ['perf_event_array', probeMapType(MapType.PERF_EVENT_ARRAY)],
      ['ringbuf', probeMapType(MapType.RINGBUF)],
    ],
    probes: [
      ['kprobe', probeProgType(ProgType.KPROBE)],
      ['tracepoint', probeProgType(ProgType.TRACEPOINT)],
      ['perf_event', probeProgType(ProgType.PERF_EVENT)],
      ['kfunc', fentryTarget !== undefined && probeTracing(TracingAttach.FENTRY, fentryTarget, true)],
      ['kprobe_multi', !noFeatures.has('kprobe_multi') && probeKprobeMulti()],
      ['kprobe_session', !noFeatures.has('kprobe_session') && probeKprobeMulti(AttachType.KPROBE_SESSION)],
      ['uprobe_multi', !noFeatures.has('uprobe_multi') && probeUprobeMulti()],
      ['raw_tp_special', rawTpSpecial],
      ['iter', iterTarget !== undefined && probeTracing(TracingAttach.ITER, iterTarget, false)],
    ],
  };
}
