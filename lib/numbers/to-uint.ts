// Unsigned integers from the command line and attach points, read as
// bpftrace reads them (its util::to_uint): `_` separators, `0x`/`0b`/`0`
// prefixes, `1e6` exponents, C and duration suffixes (`ms` multiplies), and
// its messages (`invalid integer: a1`, `invalid trailing bytes: 1a`).

export type UintResult = { ok: true; value: bigint } | { ok: false; error: string };

const U64_MAX = (1n << 64n) - 1n;

/** Largest value and multiplier of each suffix (no suffix: a 64-bit integer). */
const suffixes: Record<string, [max: bigint, multiplier: bigint]> = {
  '': [U64_MAX, 1n],
  u: [(1n << 32n) - 1n, 1n],
  ul: [U64_MAX, 1n],
  ull: [U64_MAX, 1n],
  l: [(1n << 63n) - 1n, 1n],
  ll: [(1n << 63n) - 1n, 1n],
  ns: [U64_MAX, 1n],
  us: [U64_MAX, 1_000n],
  ms: [U64_MAX, 1_000_000n],
  s: [U64_MAX, 1_000_000_000n],
  m: [U64_MAX, 60_000_000_000n],
  h: [U64_MAX, 3_600_000_000_000n],
  d: [U64_MAX, 86_400_000_000_000n],
};

const digitsOf: Record<number, RegExp> = { 2: /^[01]+/, 8: /^[0-7]+/, 10: /^[0-9]+/, 16: /^[0-9a-fA-F]+/ };

const prefixOf: Record<number, string> = { 2: '0b', 8: '0o', 10: '', 16: '0x' };

export function toUint(num: string, base: 0 | 2 | 8 | 10 | 16 = 0): UintResult {
  const n = num.replace(/_/g, '');
  if (base === 0 && n.length >= 2) {
    if (/^0[xX]/.test(n)) return toUint(n.slice(2), 16);
    if (/^0[bB]/.test(n)) return toUint(n.slice(2), 2);
    if (/^0[0-7]/.test(n)) return toUint(n.slice(1), 8);
  }
  const radix = base === 0 ? 10 : base;
  const digits = digitsOf[radix]!.exec(n)?.[0];
  if (!digits) return { ok: false, error: `invalid integer: ${num}` };
  let value = BigInt(`${prefixOf[radix]}${digits}`);
  if (value > U64_MAX) return { ok: false, error: `overflow error, maximum value is ${U64_MAX}: ${num}` };
  let rest = n.slice(digits.length);
  const exponent = /^[eE]([1-9][0-9]*)/.exec(rest);
  if (exponent) {
    if (value <= 0n || value >= 10n) return { ok: false, error: `coefficient part of scientific literal must be 1-9: ${num}` };
    value *= 10n ** BigInt(exponent[1]!);
    if (value > U64_MAX) return { ok: false, error: `overflow error, maximum value is ${U64_MAX}: ${num}` };
    rest = rest.slice(exponent[0].length);
  }
  const suffix = suffixes[rest];
  if (!suffix) return { ok: false, error: `invalid trailing bytes: ${num}` };
  const [max, multiplier] = suffix;
  if (value > max / multiplier) return { ok: false, error: `overflow error, maximum value is ${max}: ${num}` };
  return { ok: true, value: value * multiplier };
}
