// Clocks and local time through libc: BPF timestamps come from kernel clocks
// (CLOCK_BOOTTIME for nsecs), and time()/strftime() format wall-clock time with
// libc's strftime so every specifier and the local time zone behave as in C.

import { libc } from './native.ts';

export const Clock = {
  REALTIME: 0,
  MONOTONIC: 1,
  BOOTTIME: 7,
  TAI: 11,
} as const;

/** clock_gettime(clock) in nanoseconds. */
export function clockNs(clock: number): bigint {
  const ts = Buffer.alloc(16);
  const r: number = libc('clock_gettime')(clock, ts);
  if (r !== 0) throw new Error(`clock_gettime(${clock}) failed`);
  return ts.readBigInt64LE(0) * 1_000_000_000n + ts.readBigInt64LE(8);
}

/** sizeof(struct tm) on 64-bit glibc, rounded up. */
const TM_SIZE = 64;

/**
 * strftime(3) of `epochSeconds` in the local time zone. Returns undefined when
 * localtime fails or the result does not fit in `maxBytes`.
 */
export function localStrftime(format: string, epochSeconds: bigint, maxBytes = 1024): string | undefined {
  const t = Buffer.alloc(8);
  t.writeBigInt64LE(epochSeconds, 0);
  const tm = Buffer.alloc(TM_SIZE);
  if (!libc('localtime_r')(t, tm)) return undefined;
  const out = Buffer.alloc(maxBytes);
  const n: number = Number(libc('strftime')(out, maxBytes, format, tm));
  if (n === 0 && format !== '') return undefined;
  return out.toString('utf8', 0, n);
}
