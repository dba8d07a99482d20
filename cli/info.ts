// `--info`: the system, the build and the kernel's BPF features, in bpftrace's
// "name: yes/no" report. Every kernel feature is probed for real: programs and
// maps are loaded or created (and closed at once), helpers are checked by
// libbpf's probes, the instruction limit is read from the verifier's log.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { arch, release, version as osVersion } from 'node:os';
import * as rt from '../plugins/runtime/libbpf/index.ts';
import { Btf } from '../lib/btf/index.ts';
import { findClang } from '../core/build/index.ts';
import type { NoFeature } from './args.ts';

export interface FeatureReport {
  helpers: [string, boolean][];
  instructionLimit: number;
  loops: boolean;
  btf: boolean;
  moduleBtf: boolean;
  mapBatch: boolean;
  uprobeRefcount: boolean;
  maps: [string, boolean][];
  probes: [string, boolean][];
}

/** Helper ids (include/uapi/linux/bpf.h) and the program type bpftrace checks them with. */
const helperProbes: [name: string, id: number, progType: number][] = [
  ['probe_read', 4, rt.ProgType.KPROBE],
  ['probe_read_str', 45, rt.ProgType.KPROBE],
  ['probe_read_user', 112, rt.ProgType.KPROBE],
  ['probe_read_user_str', 114, rt.ProgType.KPROBE],
  ['probe_read_kernel', 113, rt.ProgType.KPROBE],
  ['probe_read_kernel_str', 115, rt.ProgType.KPROBE],
  ['get_current_cgroup_id', 80, rt.ProgType.KPROBE],
  ['send_signal', 109, rt.ProgType.KPROBE],
  ['override_return', 58, rt.ProgType.KPROBE],
  ['get_boot_ns', 125, rt.ProgType.KPROBE],
  ['dpath', 147, rt.ProgType.TRACING],
  ['skboutput', 111, rt.ProgType.TRACING],
  ['get_tai_ns', 208, rt.ProgType.KPROBE],
  ['get_func_ip', 173, rt.ProgType.KPROBE],
  ['jiffies64', 118, rt.ProgType.KPROBE],
  ['for_each_map_elem', 164, rt.ProgType.KPROBE],
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
  const r = rt.loadRawProgram(rt.ProgType.KPROBE, insns([0x18, 0, 0, 0], [0, 0, 0, 0], [0x95, 0, 0, 0]), { logLevel: 1 });
  const m = /processed \d+ insns \(limit (\d+)\)/.exec(r.log);
  return r.ok && m ? Number(m[1]) : -1;
}

/** A loop back to an earlier instruction: r0 = 0; do r0 += 1 while r0 < 4. */
function loops(): boolean {
  return rt.loadRawProgram(rt.ProgType.TRACEPOINT, insns([0xb7, 0, 0, 0], [0x07, 0, 0, 1], [0xa5, 0, -2, 4], [0x95, 0, 0, 0])).ok;
}

function vmlinuxFunc(btf: Btf | undefined, name: string): number | undefined {
  try {
    return btf?.findByName('func', name);
  } catch {
    return undefined;
  }
}

/** Probes the running kernel. `noFeatures` report `no`, as bpftrace's --no-feature does. */
export function detectFeatures(noFeatures: ReadonlySet<NoFeature> = new Set()): FeatureReport {
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
  const rawTpSpecial = rt.loadRawProgram(rt.ProgType.RAW_TRACEPOINT, insns([0xb7, 0, 0, 0], [0x95, 0, 0, 0])).ok;
  return {
    helpers: helperProbes.map(([name, id, type]) => [name, rt.probeHelper(type, id)]),
    instructionLimit: instructionLimit(),
    loops: loops(),
    btf: btfPresent,
    moduleBtf,
    mapBatch: rt.probeMapBatch(),
    uprobeRefcount: existsSync('/sys/bus/event_source/devices/uprobe/format/ref_ctr_offset'),
    maps: [
      ['hash', rt.probeMapType(rt.MapType.HASH)],
      ['percpu hash', rt.probeMapType(rt.MapType.PERCPU_HASH)],
      ['array', rt.probeMapType(rt.MapType.ARRAY)],
      ['percpu array', rt.probeMapType(rt.MapType.PERCPU_ARRAY)],
      ['stack_trace', rt.probeMapType(rt.MapType.STACK_TRACE)],
      ['perf_event_array', rt.probeMapType(rt.MapType.PERF_EVENT_ARRAY)],
      ['ringbuf', rt.probeMapType(rt.MapType.RINGBUF)],
    ],
    probes: [
      ['kprobe', rt.probeProgType(rt.ProgType.KPROBE)],
      ['tracepoint', rt.probeProgType(rt.ProgType.TRACEPOINT)],
      ['perf_event', rt.probeProgType(rt.ProgType.PERF_EVENT)],
      ['kfunc', fentryTarget !== undefined && rt.probeTracing(rt.TracingAttach.FENTRY, fentryTarget, true)],
      ['kprobe_multi', !noFeatures.has('kprobe_multi') && rt.probeKprobeMulti()],
      ['kprobe_session', !noFeatures.has('kprobe_session') && rt.probeKprobeMulti(rt.AttachType.KPROBE_SESSION)],
      ['uprobe_multi', !noFeatures.has('uprobe_multi') && rt.probeUprobeMulti()],
      ['raw_tp_special', rawTpSpecial],
      ['iter', iterTarget !== undefined && rt.probeTracing(rt.TracingAttach.ITER, iterTarget, false)],
    ],
  };
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function clangVersion(): string {
  try {
    const out = spawnSync(findClang(), ['--version'], { encoding: 'utf8' }).stdout ?? '';
    return /version (\S+)/.exec(out)?.[1] ?? 'unknown';
  } catch {
    return 'not found';
  }
}

/** The whole `--info` text. */
export function infoReport(version: string, features: FeatureReport): string {
  const lines: string[] = [];
  lines.push('System', `  OS: Linux ${release()} ${osVersion()}`, `  Arch: ${arch() === 'x64' ? 'x86_64' : arch() === 'arm64' ? 'aarch64' : arch()}`, '');
  lines.push('Build', `  version: ${version}`, `  node: ${process.version}`, `  libbpf: ${rt.libbpfVersion()}`, `  clang: ${clangVersion()}`, '');
  lines.push('Kernel helpers', ...features.helpers.map(([n, b]) => `  ${n}: ${yesNo(b)}`), '');
  lines.push(
    'Kernel features',
    `  Instruction limit: ${features.instructionLimit}`,
    `  Loop support: ${yesNo(features.loops)}`,
    `  btf: ${yesNo(features.btf)}`,
    `  module btf: ${yesNo(features.moduleBtf)}`,
    `  map batch: ${yesNo(features.mapBatch)}`,
    `  uprobe refcount: ${yesNo(features.uprobeRefcount)}`,
    '',
  );
  lines.push('Map types', ...features.maps.map(([n, b]) => `  ${n}: ${yesNo(b)}`), '');
  lines.push('Probe types', ...features.probes.map(([n, b]) => `  ${n}: ${yesNo(b)}`));
  return lines.join('\n') + '\n';
}
