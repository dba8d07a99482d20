// The PID namespace bpfscript runs in: `pid` and `tid` count in it (as
// bpftrace's do), which needs its device and inode when it is not the
// initial one.
import { statSync } from 'node:fs';

/** The inode of the initial PID namespace (the kernel's PROC_PID_INIT_INO). */
const INITIAL_PID_NAMESPACE_INO = 0xeffffffcn;

export interface PidNamespace {
  dev: bigint;
  ino: bigint;
}

/** This process's PID namespace, or undefined when it is the initial one (or cannot be read). */
export function ownPidNamespace(): PidNamespace | undefined {
  try {
    const st = statSync('/proc/self/ns/pid', { bigint: true });
    return st.ino === INITIAL_PID_NAMESPACE_INO ? undefined : { dev: st.dev, ino: st.ino };
  } catch {
    return undefined;
  }
}
