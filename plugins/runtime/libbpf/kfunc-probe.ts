// Whether a program of a given section may call a kfunc, asked of the
// verifier itself (for kfunc_allowed()): a two-instruction program of that
// type calls the kfunc by its BTF id and is loaded. The kernel refuses a kfunc
// that is not registered for the program type with "calling kernel function
// NAME is not allowed" before it looks at anything else; any other outcome
// (the call's missing arguments, a program type that needs an attach target)
// means allowed, as bpftrace decides.
import { Btf } from '../../../lib/btf/index.ts';
import { ProgType, loadRawProgram } from './features.ts';

/** The program type of each section prefix bpfscript's providers use. */
const sectionTypes: Record<string, number> = {
  kprobe: ProgType.KPROBE,
  kretprobe: ProgType.KPROBE,
  uprobe: ProgType.KPROBE,
  uretprobe: ProgType.KPROBE,
  usdt: ProgType.KPROBE,
  tracepoint: ProgType.TRACEPOINT,
  raw_tp: ProgType.RAW_TRACEPOINT,
  perf_event: ProgType.PERF_EVENT,
  fentry: ProgType.TRACING,
  fexit: ProgType.TRACING,
  iter: ProgType.TRACING,
  tp_btf: ProgType.TRACING,
};

/** BPF_JMP|BPF_CALL with src_reg BPF_PSEUDO_KFUNC_CALL, then r0 = 0; exit. */
function kfuncCall(btfId: number): Uint8Array {
  const b = Buffer.alloc(24);
  b[0] = 0x85;
  b[1] = 2 << 4;
  b.writeInt32LE(btfId, 4);
  b[8] = 0xb7;
  b[16] = 0x95;
  return b;
}

let vmlinux: Btf | undefined;
const answers = new Map<string, boolean>();

export function kfuncAllowed(name: string, section: string): boolean {
  const key = `${name}\0${section}`;
  const known = answers.get(key);
  if (known !== undefined) return known;
  const progType = sectionTypes[section.split('/')[0]!];
  let allowed = false;
  if (progType !== undefined) {
    vmlinux ??= Btf.open();
    let id: number | undefined;
    try {
      id = vmlinux.findByName('func', name);
    } catch {
      id = undefined;
    }
    if (id !== undefined) {
      const r = loadRawProgram(progType, kfuncCall(id), { logLevel: 1 });
      allowed = r.ok || !r.log.includes(`calling kernel function ${name} is not allowed`);
    }
  }
  answers.set(key, allowed);
  return allowed;
}
