// Decoding of integer and string literals, with upstream bpftrace's rules and
// error messages (src/util/int_parser.cpp, the string scanner of the parser).
// Each failure names the character range of the literal at fault so the lexer
// can place the diagnostic precisely.

/** A decoding failure: message plus the [start, end) character range inside the literal's text. */
export interface LiteralError {
  message: string;
  start: number;
  end: number;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: LiteralError };

const U64_MAX = (1n << 64n) - 1n;
const I64_MAX = (1n << 63n) - 1n;
const U32_MAX = (1n << 32n) - 1n;

/** Duration suffixes (case-sensitive) and their multiplier to nanoseconds. */
const DURATIONS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

/** C integer suffixes (case-insensitive) and the largest value each allows (long is 64-bit). */
const C_SUFFIX_MAX: Record<string, bigint> = {
  u: U32_MAX,
  l: I64_MAX,
  ll: I64_MAX,
  ul: U64_MAX,
  ull: U64_MAX,
};

function fail<T>(message: string, start: number, end: number): Decoded<T> {
  return { ok: false, error: { message, start, end } };
}

/**
 * Decodes an integer literal as lexed (`[0-9][0-9A-Za-z_]*`): decimal, `0x` hex,
 * `0NNN` octal, `1_000` separators, `2e3` exponents, C suffixes (`U L UL LL ULL`,
 * range-checked like upstream) and duration suffixes (`ns us ms s m h d`, converted
 * to nanoseconds).
 */
export function decodeInteger(text: string): Decoded<bigint> {
  let digits: string;
  let base: 8 | 10 | 16 = 10;
  let i: number;
  let exponent: string | undefined;

  if (/^0[xX]/.test(text)) {
    i = 2;
    while (i < text.length && /[0-9a-fA-F_]/.test(text[i]!)) i++;
    digits = text.slice(2, i);
    base = 16;
    if (digits.replace(/_/g, '') === '') return fail(`invalid integer: ${text}`, 0, text.length);
  } else {
    i = 0;
    while (i < text.length && /[0-9_]/.test(text[i]!)) i++;
    digits = text.slice(0, i);
    // Exponent: `e` followed by a digit.
    if ((text[i] === 'e' || text[i] === 'E') && /[0-9]/.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < text.length && /[0-9_]/.test(text[j]!)) j++;
      exponent = text.slice(i + 1, j);
      i = j;
    }
    if (digits.length > 1 && digits[0] === '0' && /[0-7]/.test(digits[1]!)) base = 8;
  }
  if (digits.endsWith('_') || (exponent !== undefined && exponent.endsWith('_'))) {
    const at = exponent !== undefined && exponent.endsWith('_') ? i - 1 : digits.length - 1 + (base === 16 ? 2 : 0);
    return fail('trailing underscore in integer literal', at, at + 1);
  }

  const suffix = text.slice(i);
  let max = U64_MAX;
  let mult = 1n;
  if (suffix !== '') {
    if (suffix in DURATIONS) {
      mult = DURATIONS[suffix]!;
    } else if (/^[uUlL]+$/.test(suffix) && suffix.toLowerCase() in C_SUFFIX_MAX) {
      max = C_SUFFIX_MAX[suffix.toLowerCase()]!;
    } else {
      return fail(`invalid integer suffix '${suffix}'`, i, text.length);
    }
  }

  const clean = digits.replace(/_/g, '');
  let value: bigint;
  if (base === 16) {
    value = BigInt('0x' + clean);
  } else if (base === 8) {
    const oct = clean.slice(1);
    if (!/^[0-7]+$/.test(oct)) return fail(`invalid trailing bytes: ${text}`, 0, text.length);
    value = BigInt('0o' + oct);
  } else {
    value = BigInt(clean);
  }

  if (exponent !== undefined) {
    if (value <= 0n || value >= 10n) {
      return fail(`coefficient part of scientific literal must be 1-9: ${text}`, 0, text.length);
    }
    const e = BigInt(exponent.replace(/_/g, ''));
    if (e > 20n) return fail(`overflow error, maximum value is ${U64_MAX}: ${text}`, 0, text.length);
    value *= 10n ** e;
    if (value > U64_MAX) return fail(`overflow error, maximum value is ${U64_MAX}: ${text}`, 0, text.length);
  }

  if (value > max / mult) {
    return fail(`overflow error, maximum value is ${max}: ${text}`, 0, text.length);
  }
  return { ok: true, value: value * mult };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

/** UTF-8 encodes one source character into "byte" chars (0x00..0xff), as bpftrace strings are bytes. */
function toByteChars(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (code < 0x80) return ch;
  let out = '';
  for (const byte of new TextEncoder().encode(ch)) out += String.fromCharCode(byte);
  return out;
}

/**
 * Decodes a complete string literal token (with its quotes). Escapes: `\n \t \r \" \\`,
 * octal `\N`..`\NNN` (at most 0377), hex `\xN`/`\xNN`. Characters above 0x7f become their
 * UTF-8 bytes (one char 0x80..0xff per byte).
 */
export function decodeString(text: string): Decoded<string> {
  let out = '';
  const end = text.length - 1; // closing quote
  let i = 1;
  while (i < end) {
    const c = text[i]!;
    if (c !== '\\') {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out += toByteChars(ch);
      i += ch.length;
      continue;
    }
    const e = text[i + 1]!;
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (/[0-7]/.test(e)) {
      let j = i + 1;
      while (j < end && j < i + 4 && /[0-7]/.test(text[j]!)) j++;
      const oct = text.slice(i + 1, j);
      const v = parseInt(oct, 8);
      if (v > 0xff) return fail(`octal escape sequence out of range '\\${oct}'`, i, j);
      out += String.fromCharCode(v);
      i = j;
    } else if (e === 'x' || e === 'X') {
      let j = i + 2;
      while (j < end && j < i + 4 && /[0-9a-fA-F]/.test(text[j]!)) j++;
      if (j === i + 2) return fail('invalid hex escape sequence', i, i + 2);
      out += String.fromCharCode(parseInt(text.slice(i + 2, j), 16));
      i = j;
    } else {
      const ch = String.fromCodePoint(text.codePointAt(i + 1)!);
      return fail(`invalid escape character '\\${ch}'`, i, i + 1 + ch.length);
    }
  }
  return { ok: true, value: out };
}

/** Largest positional parameter index upstream accepts. */
export const MAX_PARAM = I64_MAX;
