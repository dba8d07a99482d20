// A program whose verifier log did not fit the log buffer (`log_size`,
// BPFTRACE_LOG_SIZE) fails to load with ENOSPC, whatever the verifier thought
// of it: bpftrace's words for it, naming the program as bpftrace does, the
// log itself with -v, and a warning that the log was cut with the size to raise.
import { RuntimeError } from '../../sdk/index.ts';
import type { Manifest } from '../manifest/index.ts';

const ENOSPC = 28;

/** bpftrace's name of a probe's program: the probe's name as a C identifier, then `_` and its place (from 1). */
export function upstreamProgramName(manifest: Manifest, programName: string): string | undefined {
  const index = manifest.probes.findIndex((p) => p.programName === programName);
  if (index < 0) return undefined;
  return `${manifest.probes[index]!.name.replace(/[^A-Za-z0-9_]/g, '_')}_${index + 1}`;
}

/** The error of a load that failed because a program's log was cut at `logSize` bytes; undefined for another failure. */
export function trimmedLogError(e: unknown, manifest: Manifest, logSize: number, verbose: boolean): RuntimeError | undefined {
  if (!(e instanceof RuntimeError) || e.errno !== ENOSPC || !e.program) return undefined;
  const name = upstreamProgramName(manifest, e.program) ?? e.program;
  let message = `Error loading BPF program for ${name}. Error code: -${ENOSPC} (No space left on device).`;
  if (verbose) {
    message +=
      `\nKernel error log: \n${e.verifierLog ?? ''}\n` +
      'WARNING: Kernel log seems to be trimmed. This may be due to buffer not being big enough, try increasing the BPFTRACE_LOG_SIZE ' +
      `environment variable beyond the current value of ${logSize} bytes. Or, add the configuration \`config = { log_size = N; }\` to the script.`;
  } else {
    message += ' Use -v for full kernel error log.';
  }
  return new RuntimeError(message, { op: e.op, errno: e.errno, code: e.code, log: e.log, ...(e.verifierLog ? { verifierLog: e.verifierLog } : {}), program: e.program });
}
