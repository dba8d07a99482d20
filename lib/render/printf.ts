// printf/errorf/warnf/cat/system format strings: parsing and checking at
// compile time (the same specifiers bpftrace accepts, the same messages), and
// formatting at run time with C printf semantics.
import type { Value, ValueType } from '../../core/manifest/index.ts';
import { types } from '../../sdk/index.ts';
import { formatGfpFlags } from './gfp-flags.ts';
import { formatValue, hexFormatBuffer, type ValueFormatOptions } from './value.ts';

/** One conversion specification, e.g. `%-08lx`. */
export interface PrintfSpec {
  /** The specification as written (`%-08lx`). */
  text: string;
  /** Offset of the `%` in the format string. */
  offset: number;
  leftAlign: boolean;
  showSign: boolean;
  spacePrefix: boolean;
  alternateForm: boolean;
  zeroPad: boolean;
  /** Minimum field width; `*` is accepted by the parser but (as in bpftrace) takes no argument and is ignored. */
  width?: number;
  precision?: number;
  /** Length modifier: '', 'hh', 'h', 'l', 'll', 'j', 'z', 't', 'L'. */
  length: string;
  /** d i u o x X c s p, gr (GFP flags), r rx rh (buffers); also e f g a n ..., which checkPrintfArgs rejects. */
  conversion: string;
}

/** A parsed format string: `fragments[i]` is printed before `specs[i]`; one more fragment ends it. */
export interface ParsedPrintf {
  format: string;
  fragments: string[];
  specs: PrintfSpec[];
}

// bpftrace's own grammar: flags only in this order, `%%` is a literal, and
// r/rx/rh are non-standard buffer conversions (so `%rhello` is %rh + "ello"),
// gr GFP flags by name (so `%gr` is never %g + "r").
const SPEC_RE = /%(-?)(\+?)( ?)(#?)(0?)(\*|\d+)?(?:\.(\*|\d+))?([hlLjzt]*)(gr|[diouxXeEfFgGaAcspn%]|rh|rx|r)/g;

/** Splits a format string into literal text and conversion specifications. */
export function parsePrintfFormat(format: string): ParsedPrintf {
  const fragments: string[] = [];
  const specs: PrintfSpec[] = [];
  let literal = '';
  let last = 0;
  SPEC_RE.lastIndex = 0;
  for (let m = SPEC_RE.exec(format); m; m = SPEC_RE.exec(format)) {
    literal += format.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[9] === '%') {
      literal += '%';
      continue;
    }
    fragments.push(literal);
    literal = '';
    specs.push({
      text: m[0],
      offset: m.index,
      leftAlign: m[1] !== '',
      showSign: m[2] !== '',
      spacePrefix: m[3] !== '',
      alternateForm: m[4] !== '',
      zeroPad: m[5] !== '',
      width: m[6] !== undefined && m[6] !== '*' ? Number(m[6]) : undefined,
      precision: m[7] !== undefined && m[7] !== '*' ? Number(m[7]) : undefined,
      length: m[8],
      conversion: m[9],
    });
  }
  fragments.push(literal + format.slice(last));
  return { format, fragments, specs };
}

const INTEGER_KINDS = new Set<ValueType['kind']>(['int', 'bool', 'pointer']);
const ALLOWED: Record<string, ReadonlySet<ValueType['kind']> | 'any'> = {
  d: INTEGER_KINDS,
  i: INTEGER_KINDS,
  u: INTEGER_KINDS,
  o: INTEGER_KINDS,
  x: INTEGER_KINDS,
  X: INTEGER_KINDS,
  c: INTEGER_KINDS,
  p: INTEGER_KINDS,
  gr: INTEGER_KINDS,
  r: new Set(['buffer']),
  rx: new Set(['buffer']),
  rh: new Set(['buffer']),
  s: 'any',
};

/**
 * Checks arguments against a format string as bpftrace does at compile time.
 * Returns bpftrace's message (the caller adds location and the function name),
 * or undefined when the call is fine.
 */
export function checkPrintfArgs(format: string | ParsedPrintf, argTypes: readonly ValueType[]): string | undefined {
  const { specs } = typeof format === 'string' ? parsePrintfFormat(format) : format;
  if (argTypes.length < specs.length) return `not enough arguments for format string (${argTypes.length} supplied, ${specs.length} expected)`;
  if (argTypes.length > specs.length) return `too many arguments for format string (${argTypes.length} supplied, ${specs.length} expected)`;
  for (let i = 0; i < specs.length; i++) {
    const conv = specs[i].conversion;
    const t = argTypes[i];
    if (t.kind === 'none') return `unable to print none type for specifier: ${conv}`;
    const allowed = ALLOWED[conv];
    if (!allowed) return `unsupported format specifier: ${conv}`;
    if (allowed !== 'any' && !allowed.has(t.kind)) return `unsupported format specifier for type '${types.typeName(t)}': ${conv}`;
  }
  return undefined;
}

// --- run time -------------------------------------------------------------------

export interface PrintfArg {
  value: Value;
  type: ValueType;
}

const UTF8 = new TextEncoder();

function byteLength(s: string): number {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  return ascii ? s.length : UTF8.encode(s).length;
}

/** Pads to the field width; like C, the width counts bytes (of the UTF-8 text). */
function pad(s: string, spec: PrintfSpec, fill = ' '): string {
  const width = spec.width ?? 0;
  const n = width - byteLength(s);
  if (n <= 0) return s;
  return spec.leftAlign ? s + ' '.repeat(n) : fill.repeat(n) + s;
}

/** %.Ns: at most N bytes, never splitting a character. */
function truncateBytes(s: string, max: number): string {
  if (byteLength(s) <= max) return s;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = byteLength(ch);
    if (used + n > max) break;
    out += ch;
    used += n;
  }
  return out;
}

/** The integer a value stands for in an integer conversion (enums: unsigned at their width, as bpftrace). */
function integerOf(arg: PrintfArg): bigint | undefined {
  const v = arg.value;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v !== 'bigint') return undefined;
  if (arg.type.kind === 'int' && arg.type.enumName) return BigInt.asUintN(arg.type.size * 8, v);
  return v;
}

/** Bits of the C type a length modifier selects (no modifier: int). */
function lengthBits(length: string): number {
  switch (length) {
    case 'hh':
      return 8;
    case 'h':
      return 16;
    case '':
      return 32;
    default:
      return 64;
  }
}

function formatInteger(v: bigint, spec: PrintfSpec): string {
  const conv = spec.conversion;
  const bits = lengthBits(spec.length);
  const signed = conv === 'd' || conv === 'i';
  const x = signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
  const negative = x < 0n;
  const magnitude = negative ? -x : x;
  const base = conv === 'o' ? 8 : conv === 'x' || conv === 'X' ? 16 : 10;
  let digits = magnitude.toString(base);
  if (conv === 'X') digits = digits.toUpperCase();
  if (spec.precision !== undefined) {
    digits = spec.precision === 0 && magnitude === 0n ? '' : digits.padStart(spec.precision, '0');
  }
  let prefix = '';
  if (signed) prefix = negative ? '-' : spec.showSign ? '+' : spec.spacePrefix ? ' ' : '';
  if (spec.alternateForm) {
    if (conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
    if ((conv === 'x' || conv === 'X') && magnitude !== 0n) prefix += conv === 'x' ? '0x' : '0X';
  }
  const width = spec.width ?? 0;
  if (spec.zeroPad && !spec.leftAlign && spec.precision === undefined && prefix.length + digits.length < width) {
    digits = '0'.repeat(width - prefix.length - digits.length) + digits;
  }
  return pad(prefix + digits, spec);
}

function formatArg(arg: PrintfArg, spec: PrintfSpec, opts: ValueFormatOptions): string {
  switch (spec.conversion) {
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
    case 'c':
    case 'p': {
      const v = integerOf(arg);
      if (v === undefined) return `!{invalid integer conversion: ${formatValue(arg.value, arg.type, opts)}}`;
      if (spec.conversion === 'c') return pad(String.fromCharCode(Number(BigInt.asUintN(8, v))), spec);
      // bpftrace prints pointers through C++ streams: 0x-prefixed hex, a null pointer as "0".
      if (spec.conversion === 'p') return pad(v === 0n ? '0' : '0x' + BigInt.asUintN(64, v).toString(16), spec);
      return formatInteger(v, spec);
    }
    case 'gr': {
      const v = integerOf(arg);
      if (v === undefined) return `!{invalid GFP flags conversion: ${formatValue(arg.value, arg.type, opts)}}`;
      return pad(formatGfpFlags(v), spec);
    }
    case 'r':
    case 'rx':
    case 'rh':
      if (arg.value instanceof Uint8Array) {
        const keepAscii = spec.conversion === 'r';
        const escapeHex = spec.conversion !== 'rh';
        return pad(hexFormatBuffer(arg.value, keepAscii, escapeHex), spec);
      }
      return pad(formatValue(arg.value, arg.type, opts), spec);
    default: {
      // %s, and anything else the checker let through: the value as print() shows it.
      let s = formatValue(arg.value, arg.type, opts);
      if (spec.conversion === 's' && spec.precision !== undefined) s = truncateBytes(s, spec.precision);
      return pad(s, spec);
    }
  }
}

const parsedCache = new Map<string, ParsedPrintf>();

function parsed(format: string | ParsedPrintf): ParsedPrintf {
  if (typeof format !== 'string') return format;
  let p = parsedCache.get(format);
  if (!p) {
    p = parsePrintfFormat(format);
    if (parsedCache.size > 1024) parsedCache.clear();
    parsedCache.set(format, p);
  }
  return p;
}

/**
 * Formats printf arguments (already decoded) with C printf semantics:
 * flags `- + space # 0`, width, precision, length modifiers (which narrow the
 * value like C: no modifier is `int`, `h` short, `hh` char, `l ll j z t` 64-bit),
 * `%c` a byte, `%s` any value as print() shows it (enums by name), `%p` a
 * pointer, `%gr` GFP flags by name, `%r` `%rx` `%rh` buffers. Missing arguments leave the rest of the
 * format unformatted; the compiler rejects such calls anyway.
 */
export function formatPrintf(format: string | ParsedPrintf, args: readonly PrintfArg[], opts: ValueFormatOptions = {}): string {
  const p = parsed(format);
  let out = '';
  const n = Math.min(p.specs.length, args.length);
  for (let i = 0; i < n; i++) out += p.fragments[i] + formatArg(args[i], p.specs[i], opts);
  if (n < p.specs.length) {
    // Not enough arguments: print the remaining text verbatim from the first unformatted spec.
    out += p.fragments[n] + p.format.slice(p.specs[n].offset);
    return out;
  }
  return out + p.fragments[p.specs.length];
}
