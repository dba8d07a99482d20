// BpfError and the capture of libbpf's log (which carries the verifier's output).

import { RuntimeError } from '../../../sdk/runtime.ts';
import { bpf, errnoNumbers, libbpfPrintProto, libc, nativeView, registerCallback, unregisterCallback } from './native.ts';

/** libbpf's own error codes (libbpf.h, enum libbpf_errno), above the errno range. */
const LIBBPF_ERRNO_NAMES: Record<number, string> = {
  4000: 'LIBBPF_ERRNO__LIBELF',
  4001: 'LIBBPF_ERRNO__FORMAT',
  4002: 'LIBBPF_ERRNO__KVERSION',
  4003: 'LIBBPF_ERRNO__ENDIAN',
  4004: 'LIBBPF_ERRNO__INTERNAL',
  4005: 'LIBBPF_ERRNO__RELOC',
  4006: 'LIBBPF_ERRNO__LOAD',
  4007: 'LIBBPF_ERRNO__VERIFY',
  4008: 'LIBBPF_ERRNO__PROG2BIG',
  4009: 'LIBBPF_ERRNO__KVER',
  4010: 'LIBBPF_ERRNO__PROGTYPE',
  4011: 'LIBBPF_ERRNO__WRNGPID',
  4012: 'LIBBPF_ERRNO__INVSEQ',
  4013: 'LIBBPF_ERRNO__NLPARSE',
};

// Kernel-internal codes that leak to user space from the bpf() syscall.
const KERNEL_ERRNO_NAMES: Record<number, string> = { 524: 'ENOTSUPP', 512: 'ERESTARTSYS' };

let errnoNames: Map<number, string> | undefined;

/** `EINVAL` for 22, `LIBBPF_ERRNO__VERIFY` for 4007, `E<n>` when unknown. */
export function errnoName(errno: number): string {
  if (!errnoNames) {
    errnoNames = new Map();
    // Several names share a number (EAGAIN/EWOULDBLOCK, EDEADLK/EDEADLOCK, ENOTSUP/EOPNOTSUPP): keep the first.
    for (const [name, n] of Object.entries(errnoNumbers)) if (!errnoNames.has(n)) errnoNames.set(n, name);
    errnoNames.set(95, 'EOPNOTSUPP');
  }
  const e = Math.abs(errno);
  return errnoNames.get(e) ?? LIBBPF_ERRNO_NAMES[e] ?? KERNEL_ERRNO_NAMES[e] ?? `E${e}`;
}

/** The text libbpf gives for an error code (strerror, plus libbpf's own codes). */
export function errnoMessage(errno: number): string {
  const e = Math.abs(errno);
  if (e === 524) return 'Operation not supported'; // ENOTSUPP: not known to libc
  try {
    const buf = Buffer.alloc(256);
    bpf('libbpf_strerror')(e, buf, buf.length);
    const end = buf.indexOf(0);
    return buf.toString('utf8', 0, end < 0 ? buf.length : end);
  } catch {
    return `error ${e}`;
  }
}

const VERIFIER_BEGIN = '-- BEGIN PROG LOAD LOG --';
const VERIFIER_END = '-- END PROG LOAD LOG --';

/** Lines of the verifier log kept in a load failure's message. */
export const VERIFIER_TAIL_LINES = 12;

export interface BpfErrorDetails {
  /** The libbpf or system call that failed (`bpf_object__load`). */
  op: string;
  /** Positive errno (or libbpf error code). */
  errno: number;
  /** What libbpf printed (warnings and info) while the call ran. */
  log?: string;
  /** The verifier's log when it was not printed into `log` (a program's own log buffer). */
  verifierLog?: string;
  /** The program whose load failed. */
  program?: string;
}

/**
 * A failure of a libbpf or BPF system call, with errno and what libbpf logged:
 * the SDK's RuntimeError, so the session tells it apart without knowing libbpf.
 */
export class BpfError extends RuntimeError {
  override readonly name = 'BpfError';

  constructor(message: string, details: BpfErrorDetails) {
    const errno = Math.abs(details.errno);
    const log = details.log ?? '';
    const verifierLog = details.verifierLog || extractVerifierLog(log);
    let full = `${message}: ${errnoMessage(errno)} (${errnoName(errno)})`;
    const helper = verifierLog && refusedHelper(verifierLog);
    // Upstream's words for a helper the kernel refuses in this program type (or at all: lockdown).
    if (helper) full += `\nhelper ${helper} not allowed in probe`;
    if (verifierLog) {
      const tail = verifierTail(verifierLog, VERIFIER_TAIL_LINES);
      full += `\nverifier log (last ${tail.length} lines):\n` + tail.join('\n');
    }
    super(full, { op: details.op, errno, code: errnoName(errno), log, ...(verifierLog ? { verifierLog } : {}), ...(details.program ? { program: details.program } : {}) });
  }
}

/** The text between libbpf's BEGIN/END PROG LOAD LOG markers (the last one if several). */
export function extractVerifierLog(log: string): string | undefined {
  const begin = log.lastIndexOf(VERIFIER_BEGIN);
  if (begin < 0) return undefined;
  const start = log.indexOf('\n', begin) + 1;
  const end = log.indexOf(VERIFIER_END, start);
  const text = log.slice(start, end < 0 ? undefined : end).replace(/\s+$/, '');
  return text || undefined;
}

/**
 * The helper the verifier refused, when that is why the load failed: its
 * `call bpf_x#N` line followed by "program of this type cannot use helper"
 * or "helper call is not allowed in probe" (an allow list, as bpf_d_path's).
 */
export function refusedHelper(verifierLog: string): string | undefined {
  const m = /program of this type cannot use helper (\w+)#\d+|call (\w+)#\d+\n(?:.*\n)?helper call is not allowed in probe/.exec(verifierLog);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The last `n` non-empty lines of a verifier log: where the rejection reason is. */
export function verifierTail(verifierLog: string, n: number): string[] {
  const lines = verifierLog.split('\n').filter((l) => l.trim() !== '');
  return lines.slice(-n);
}

// ---- libbpf log capture ----------------------------------------------------

const LIBBPF_WARN = 0;
const LIBBPF_INFO = 1;
const LIBBPF_DEBUG = 2;

/** Verbosity of the captured libbpf log; BPFSCRIPT_LIBBPF_DEBUG=1 also keeps debug lines. */
function keepLevel(level: number): boolean {
  if (level === LIBBPF_WARN || level === LIBBPF_INFO) return true;
  return level === LIBBPF_DEBUG && process.env.BPFSCRIPT_LIBBPF_DEBUG === '1';
}

/** Formats `fmt` with `ap` through vsnprintf; sizes the output on a copy of the va_list. */
function formatVa(fmt: bigint, ap: bigint): string {
  const vsnprintf = libc('vsnprintf');
  // x86-64 SysV: va_list is one 24-byte __va_list_tag and va_copy is a plain copy of it.
  // vsnprintf consumes the tag it is given, so measure with a copy and print with the original.
  const apCopy = Buffer.from(new Uint8Array(nativeView(ap, 24)));
  const n: number = vsnprintf(null, 0, fmt, apCopy);
  if (n <= 0) return '';
  const out = Buffer.alloc(n + 1);
  vsnprintf(out, out.length, fmt, ap);
  return out.toString('utf8', 0, n);
}

let capturing: string[] | undefined;

/**
 * Runs `fn` with libbpf's print callback installed and returns what libbpf printed.
 * The callback is registered for the call only and unregistered after it; the
 * previous print function (libbpf's stderr printer by default) is put back.
 * Nested calls share the outer capture.
 */
export function withLibbpfLog<T>(fn: () => T): { result: T; log: string } {
  if (capturing) {
    const result = fn();
    return { result, log: '' };
  }
  const lines: string[] = [];
  capturing = lines;
  const cb = registerCallback((level: number, fmt: bigint, ap: bigint): number => {
    if (!keepLevel(level)) return 0;
    try {
      lines.push(formatVa(fmt, ap));
    } catch {
      // A formatting failure must not unwind through C.
    }
    return 0;
  }, libbpfPrintProto());
  const setPrint = bpf('libbpf_set_print');
  const previous = setPrint(cb);
  try {
    const result = fn();
    return { result, log: lines.join('') };
  } finally {
    setPrint(previous);
    unregisterCallback(cb);
    capturing = undefined;
  }
}
