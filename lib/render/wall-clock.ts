// Wall-clock text: a real-time instant formatted by the runtime's strftime(3)
// (every specifier and the local time zone behave as in C), as time(),
// strftime() and tseries intervals show it.
import type { Runtime } from '../../sdk/index.ts';

/** strftime(3) output is cut at this many bytes (bpftrace uses a 64-byte buffer for time()). */
export const MAX_TIME_TEXT = 1024;

/** `format` applied to the real-time instant `realNs`; with `micros`, a lone `%f` is its microseconds. */
export function wallClockText(runtime: Pick<Runtime, 'strftime'>, format: string, realNs: bigint, options: { micros?: boolean } = {}): string {
  const seconds = realNs >= 0n ? realNs / 1_000_000_000n : (realNs - 999_999_999n) / 1_000_000_000n;
  let fmt = format;
  if (options.micros) {
    const us = String((realNs - seconds * 1_000_000_000n) / 1000n).padStart(6, '0');
    // `%%f` is a literal `%f`; only a lone `%f` is replaced.
    fmt = fmt.replace(/%(%|f)/g, (m, c: string) => (c === 'f' ? us : m));
  }
  return runtime.strftime(fmt, seconds, MAX_TIME_TEXT) ?? '';
}
