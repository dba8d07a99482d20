// C literals for values the compiler knows: strings (escaped for C) and
// 64-bit integers (with the suffix that gives them their signedness).

export function cString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f && ch !== '?') out += ch;
    else out += `\\${(c & 0xff).toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

export function intLiteral(v: bigint, signed: boolean): string {
  if (signed) {
    const s = BigInt.asIntN(64, v);
    // INT64_MIN has no literal form in C.
    if (s === -0x8000000000000000n) return '((__s64)0x8000000000000000ULL)';
    return s < 0n ? `(${s}LL)` : `${s}LL`;
  }
  return `${BigInt.asUintN(64, v)}ULL`;
}
