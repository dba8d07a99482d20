// numbers: integers written by users outside the language (pids, attach-point counts), read as bpftrace reads them.
export { toUint, type UintResult } from './to-uint.ts';
