// Histogram buckets: the one definition of the hist/lhist bucket functions.
// The compiler emits BUCKET_FUNCTIONS_C (the same functions in C) and the
// formatters read buckets back with the bounds below. Keep BUCKET_FUNCTIONS_C
// in step with the JS functions.

/** Number of buckets of `hist(n, bits)`: index 0 holds negatives, the last holds [2^62 .. 2^63). */
export function histBucketCount(bits: number): number {
  return (64 - bits) * (1 << bits) + 1;
}

/**
 * Bucket of `hist(value, bits)`, as bpftrace: 0 for negative values; values
 * 0 .. 2^(bits+1)-1 get one bucket each (index value+1); above that each power
 * of two [2^p, 2^(p+1)) is split into 2^bits equal buckets. The value is taken
 * as a signed 64-bit integer.
 */
export function histBucket(value: bigint, bits: number): number {
  const v = BigInt.asIntN(64, value);
  if (v < 0n) return 0;
  const n = 1 << bits;
  if (v < BigInt(2 * n)) return Number(v) + 1;
  const p = v.toString(2).length - 1; // floor(log2 v), >= bits + 1
  const sub = Number((v >> BigInt(p - bits)) & BigInt(n - 1));
  return ((p - bits + 1) << bits) + sub + 1;
}

/** Exclusive upper bound of hist bucket `index` (index >= 1). */
function histUpper(index: number, bits: number): bigint {
  const n = 1 << bits;
  if (index <= 2 * n) return BigInt(index);
  const power = (index >> bits) - 1;
  return (1n << BigInt(power)) * BigInt(n + (index & (n - 1)));
}

/** Value range of hist bucket `index`: lo inclusive, hi exclusive; lo undefined for the negatives bucket. */
export function histBucketBounds(index: number, bits: number): { lo?: bigint; hi: bigint } {
  if (index <= 0) return { hi: 0n };
  return { lo: histUpper(index - 1, bits), hi: histUpper(index, bits) };
}

/** Number of buckets of `lhist(n, min, max, step)`: below-min, the (max-min)/step steps, then [.., max] and above. */
export function lhistBucketCount(min: bigint, max: bigint, step: bigint): number {
  return Number((max - min) / step) + 2;
}

/**
 * Bucket of `lhist(value, min, max, step)`, as bpftrace: 0 below min; values
 * above max share the last bucket, 1 + (max - min) / step; otherwise
 * 1 + (value - min) / step. Signed 64-bit arithmetic.
 */
export function lhistBucket(value: bigint, min: bigint, max: bigint, step: bigint): number {
  const v = BigInt.asIntN(64, value);
  if (v < min) return 0;
  if (v > max) return Number(1n + (max - min) / step);
  return Number(1n + (v - min) / step);
}

/** Value range of lhist bucket `index`: lo inclusive, hi exclusive; lo undefined below min, hi undefined for the last bucket. */
export function lhistBucketBounds(index: number, min: bigint, max: bigint, step: bigint): { lo?: bigint; hi?: bigint } {
  if (index <= 0) return { hi: min };
  const lo = min + BigInt(index - 1) * step;
  const hi = min + BigInt(index) * step;
  return hi <= max ? { lo, hi } : { lo };
}

/**
 * The bucket functions in C for the BPF program; generated code must compute
 * exactly what histBucket/lhistBucket compute (tests compile and compare them).
 */
export const BUCKET_FUNCTIONS_C = `\
/* hist(n, k): 0 for n < 0; n + 1 for 0 <= n < 2^(k+1); else
 * ((p - k + 1) << k) + ((n >> (p - k)) & (2^k - 1)) + 1 where p = floor(log2 n). */
static inline __attribute__((always_inline)) unsigned long long
__bt_hist_bucket(long long n, unsigned int k)
{
  unsigned long long v, x;
  unsigned int p = 0;
  if (n < 0)
    return 0;
  v = (unsigned long long)n;
  if (v < (2ULL << k))
    return v + 1;
  x = v;
  if (x >= (1ULL << 32)) { x >>= 32; p += 32; }
  if (x >= (1ULL << 16)) { x >>= 16; p += 16; }
  if (x >= (1ULL << 8)) { x >>= 8; p += 8; }
  if (x >= (1ULL << 4)) { x >>= 4; p += 4; }
  if (x >= (1ULL << 2)) { x >>= 2; p += 2; }
  if (x >= (1ULL << 1)) { p += 1; }
  return ((unsigned long long)(p - k + 1) << k) + ((v >> (p - k)) & ((1ULL << k) - 1)) + 1;
}

/* lhist(n, min, max, step): 0 below min, 1 + (max - min) / step above max,
 * else 1 + (n - min) / step. The differences are >= 0 there, so unsigned
 * division gives the same result (and BPF before cpu v4 has no signed one). */
static inline __attribute__((always_inline)) unsigned long long
__bt_lhist_bucket(long long n, long long min, long long max, long long step)
{
  if (n < min)
    return 0;
  if (n > max)
    return 1 + ((unsigned long long)max - (unsigned long long)min) / (unsigned long long)step;
  return 1 + ((unsigned long long)n - (unsigned long long)min) / (unsigned long long)step;
}
`;
