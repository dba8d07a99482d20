// The current process's id as bpfscript's /proc knows it, which is where its
// memory map is read when its stacks and symbols are named. Usually the
// kernel's own tgid; when bpfscript runs inside a PID namespace, the id in
// that namespace (bpf_get_ns_current_pid_tgid), 0 for a process outside it.
import { statSync } from 'node:fs';
import type { EmitContext } from '../../sdk/index.ts';

/** The inode of the initial PID namespace (PROC_PID_INIT_INO). */
const INIT_PID_NS_INO = 0xeffffffcn;

function ownPidNamespace(): { dev: bigint; ino: bigint } | undefined {
  try {
    const st = statSync('/proc/self/ns/pid', { bigint: true });
    return st.ino === INIT_PID_NS_INO ? undefined : { dev: st.dev, ino: st.ino };
  } catch {
    return undefined;
  }
}

/** A C expression of the current tgid as bpfscript's /proc numbers it. */
export function ownTgid(ec: EmitContext): string {
  const ns = ownPidNamespace();
  if (!ns) return '((__u32)(bpf_get_current_pid_tgid() >> 32))';
  ec.declare(`static __always_inline __u32 bs_own_tgid(void)
{
  struct bpf_pidns_info ns = {};
  if (bpf_get_ns_current_pid_tgid(${ns.dev}ULL, ${ns.ino}ULL, &ns, sizeof(ns)))
    return 0;
  return ns.tgid;
}
`);
  return 'bs_own_tgid()';
}
