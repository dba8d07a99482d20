import test from 'ava';
import type { Value, ValueType } from '../../../core/manifest/index.ts';
import { checkPrintfArgs, formatPrintf, parsePrintfFormat } from '../../../lib/render/index.ts';
import { bool, buf, i64, i8, none, ptr, record, str, tuple, u64 } from '../../helpers/output.ts';

const int = (value: bigint) => ({ value, type: i64 as ValueType });

// Expected strings produced by glibc's snprintf (a C harness passing the value
// cast to the type the conversion and length modifier name): [format, value, output].
const glibcIntegers: [string, bigint, string][] = [
  ["%d", 42n, "42"],
  ["%d", -42n, "-42"],
  ["%d", 5000000000n, "705032704"],
  ["%i", -1n, "-1"],
  ["%5d|", 42n, "   42|"],
  ["%-5d|", 42n, "42   |"],
  ["%05d", 42n, "00042"],
  ["%05d", -42n, "-0042"],
  ["%+d", 42n, "+42"],
  ["% d", 42n, " 42"],
  ["% d", -42n, "-42"],
  ["%+5d", -3n, "   -3"],
  ["%-05d|", 7n, "7    |"],
  ["%.3d", 7n, "007"],
  ["%8.3d", -7n, "    -007"],
  ["%.0d|", 0n, "|"],
  ["%5.0d|", 0n, "     |"],
  ["%+.0d|", 0n, "+|"],
  ["%u", -1n, "4294967295"],
  ["%lu", -1n, "18446744073709551615"],
  ["%llu", -1n, "18446744073709551615"],
  ["%hu", 70000n, "4464"],
  ["%hhu", 300n, "44"],
  ["%zu", -1n, "18446744073709551615"],
  ["%x", 255n, "ff"],
  ["%X", 255n, "FF"],
  ["%#x", 255n, "0xff"],
  ["%#X", 255n, "0XFF"],
  ["%#x", 0n, "0"],
  ["%08x", 255n, "000000ff"],
  ["%#08x", 255n, "0x0000ff"],
  ["%-#8x|", 255n, "0xff    |"],
  ["%lx", -1n, "ffffffffffffffff"],
  ["%.4x", 255n, "00ff"],
  ["%x", -1n, "ffffffff"],
  ["%x", 4886718345n, "23456789"],
  ["%o", 8n, "10"],
  ["%#o", 8n, "010"],
  ["%#o", 0n, "0"],
  ["%#.3o", 8n, "010"],
  ["%#5o|", 8n, "  010|"],
  ["%hhd", 200n, "-56"],
  ["%hd", 40000n, "-25536"],
  ["%ld", 5000000000n, "5000000000"],
  ["%lld", -5000000000n, "-5000000000"],
  ["%jd", -5000000000n, "-5000000000"],
  ["%zd", 5000000000n, "5000000000"],
  ["%td", -1n, "-1"],
  ["%hhx", 5124095577148911n, "ef"],
  ["%hx", 5124095577148911n, "cdef"],
  ["%jx", 5124095577148911n, "12345678abcdef"],
  ["%c", 65n, "A"],
  ["%3c|", 65n, "  A|"],
  ["%-3c|", 65n, "A  |"],
  ["%c", 321n, "A"],
  ["%+u", 5n, "5"],
  ["% u", 5n, "5"],
  ["%+x", 5n, "5"],
];

const glibcStrings: [string, string, string][] = [
  ["%s", "hello", "hello"],
  ["%10s|", "hello", "     hello|"],
  ["%-10s|", "hello", "hello     |"],
  ["%.3s", "hello", "hel"],
  ["%10.3s|", "hello", "       hel|"],
  ["%-10.3s|", "hello", "hel       |"],
  ["%.0s|", "hello", "|"],
  ["%.10s|", "hello", "hello|"],
];

for (const [format, value, expected] of glibcIntegers) {
  test(`printf("${format}", ${value}) is "${expected}" as in C`, (t) => {
    t.is(formatPrintf(format, [int(value)]), expected);
  });
}

for (const [format, value, expected] of glibcStrings) {
  test(`printf("${format}", "${value}") is "${expected}" as in C`, (t) => {
    t.is(formatPrintf(format, [{ value, type: str(16) }]), expected);
  });
}

// --- beyond C: bpftrace's own conversions and value kinds -------------------------------

const state: ValueType = { kind: 'int', size: 4, signed: true, enumName: 'state' };
const enumNames = new Map([['state', new Map([[1n, 'RUNNING']])]]);

test('several arguments and literal text (upstream printf_more_arguments)', (t) => {
  const out = formatPrintf('%dst: %sa; %dnd: %sb;; %drd: %sc;;; %dth: %sd;;;;\n', [
    int(1n), { value: 'a', type: str(4) }, int(2n), { value: 'ab', type: str(4) },
    int(3n), { value: 'abc', type: str(4) }, int(4n), { value: 'abcd', type: str(8) },
  ]);
  t.is(out, '1st: aa; 2nd: abb;; 3rd: abcc;;; 4th: abcdd;;;;\n');
});

test('length modifiers narrow like C (upstream printf_length_modifiers)', (t) => {
  const x = int(0x12345678abcdefn);
  t.is(formatPrintf('%hhx %hx %x %jx\n', [x, x, x, x]), 'ef cdef 78abcdef 12345678abcdef\n');
});

test('%c prints bytes (upstream printf_char)', (t) => {
  t.is(formatPrintf('%c%c%c%c\n', [int(0x41n), int(0x42n), int(0x43n), int(0x44n)]), 'ABCD\n');
});

test('%% is a literal percent and takes no argument; unknown sequences stay as they are', (t) => {
  t.is(formatPrintf('100%% of %d%%', [int(5n)]), '100% of 5%');
  t.is(formatPrintf('%5%|%d', [int(1n)]), '%|1');
  t.is(formatPrintf('50% done %y', []), '50% done %y');
  t.is(formatPrintf('value: %dms100\n', [int(100n)]), 'value: 100ms100\n');
  t.is(formatPrintf('Elapsed: %ds', [int(3n)]), 'Elapsed: 3s');
});

test('%s prints any value as print() would: enums by name, tuples, records, bools, pointers', (t) => {
  t.is(formatPrintf('%s', [{ value: 1n, type: state }], { enumNames }), 'RUNNING');
  t.is(formatPrintf('%d', [{ value: 1n, type: state }], { enumNames }), '1');
  t.is(formatPrintf('%d', [{ value: -1n, type: { kind: 'int', size: 1, signed: true, enumName: 'e' } }]), '255');
  t.is(formatPrintf('%s', [{ value: [1n, 'a'], type: tuple([i64, 0], [str(4), 8]) }]), '(1, a)');
  const r = record(['x', i64, 0]);
  t.is(formatPrintf('%s!', [{ value: { kind: 'record', fields: [['x', 3n]] } as Value, type: r }]), '{ .x = 3 }!');
  t.is(formatPrintf('%s %d', [{ value: true, type: bool }, { value: true, type: bool }]), 'true 1');
  t.is(formatPrintf('%s', [int(-7n)]), '-7');
  t.is(formatPrintf('%5s|', [int(42n)]), '   42|');
  t.is(formatPrintf('%s', [{ value: 0xffff8880n, type: ptr }]), '0xffff8880');
  t.is(formatPrintf('%d', [{ value: -1n, type: i8 }]), '-1');
});

test('%p prints a pointer as bpftrace does: 0x-prefixed hex, null as 0', (t) => {
  t.is(formatPrintf('%p', [{ value: 0x1234n, type: ptr }]), '0x1234');
  t.is(formatPrintf('%p', [{ value: 0n, type: ptr }]), '0');
  t.is(formatPrintf('%10p|%-10p|', [{ value: 0x1234n, type: ptr }, { value: 0x1234n, type: ptr }]), '    0x1234|0x1234    |');
  t.is(formatPrintf('%p', [int(-1n)]), '0xffffffffffffffff');
  t.is(formatPrintf('%lx', [{ value: 0xffff8880deadbeefn, type: ptr }]), 'ffff8880deadbeef');
});

test('%r, %rx, %rh print buffers (upstream buf tests)', (t) => {
  const hello = { value: new Uint8Array([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00]), type: buf(6) };
  t.is(formatPrintf('%r', [hello]), 'Hello\\x00');
  t.is(formatPrintf('%rx', [hello]), '\\x48\\x65\\x6c\\x6c\\x6f\\x00');
  t.is(formatPrintf('%rh', [hello]), '48 65 6c 6c 6f 00');
  t.is(formatPrintf('%rhello', [hello]), '48 65 6c 6c 6f 00ello');
  t.is(formatPrintf('[%12r]', [hello]), '[   Hello\\x00]');
  t.is(formatPrintf('%s', [hello]), 'Hello\\x00');
});

test('%s width and precision count bytes of UTF-8 and never split a character', (t) => {
  t.is(formatPrintf('%5s|', [{ value: 'é', type: str(8) }]), '   é|');
  t.is(formatPrintf('%.2s|', [{ value: 'aé', type: str(8) }]), 'a|');
  t.is(formatPrintf('%.3s|', [{ value: 'aé', type: str(8) }]), 'aé|');
});

test('an integer conversion of a non-integer prints an inline error, as bpftrace', (t) => {
  t.is(formatPrintf('%d', [{ value: 'abc', type: str(4) }]), '!{invalid integer conversion: abc}');
});

test('a pre-parsed format gives the same result as the string', (t) => {
  const p = parsePrintfFormat('%-6d|%s\n');
  t.is(formatPrintf(p, [int(12n), { value: 'x', type: str(2) }]), '12    |x\n');
});

// --- parsing and compile-time checks ---------------------------------------------------

test('parsePrintfFormat splits text and specifiers', (t) => {
  const p = parsePrintfFormat('a%-08.3lxb%%c%s%rh');
  t.deepEqual(p.fragments, ['a', 'b%c', '', '']);
  t.is(p.specs.length, 3);
  t.like(p.specs[0], { text: '%-08.3lx', offset: 1, leftAlign: true, zeroPad: true, width: 8, precision: 3, length: 'l', conversion: 'x' });
  t.like(p.specs[1], { text: '%s', conversion: 's', width: undefined, precision: undefined, length: '' });
  t.like(p.specs[2], { text: '%rh', conversion: 'rh' });
  t.like(parsePrintfFormat('%+ #d').specs[0], { showSign: true, spacePrefix: true, alternateForm: true });
  t.like(parsePrintfFormat('%*d').specs[0], { width: undefined, conversion: 'd' });
  // bpftrace's flag order is fixed: "%+-5d" is not a specification
  t.is(parsePrintfFormat('%+-5d').specs.length, 0);
});

test('checkPrintfArgs: argument counts, with bpftrace messages', (t) => {
  t.is(checkPrintfArgs('%d %d', [i64]), 'not enough arguments for format string (1 supplied, 2 expected)');
  t.is(checkPrintfArgs('%d', [i64, i64]), 'too many arguments for format string (2 supplied, 1 expected)');
  t.is(checkPrintfArgs('no specs', [i64]), 'too many arguments for format string (1 supplied, 0 expected)');
  t.is(checkPrintfArgs('100%%', []), undefined);
});

test('checkPrintfArgs: types per specifier', (t) => {
  t.is(checkPrintfArgs('%d %i %u %o %x %X %c %p', [i64, u64, bool, ptr, i64, i64, i8, ptr]), undefined);
  t.is(checkPrintfArgs('%s %s %s', [str(16), i64, tuple([i64, 0])]), undefined);
  t.is(checkPrintfArgs('%r %rx %rh', [buf(4), buf(4), buf(4)]), undefined);
  t.is(checkPrintfArgs('%d', [str(16)]), "unsupported format specifier for type 'string[16]': d");
  t.is(checkPrintfArgs('%r', [str(16)]), "unsupported format specifier for type 'string[16]': r");
  t.is(checkPrintfArgs('%f', [i64]), 'unsupported format specifier: f');
  t.is(checkPrintfArgs('%n', [i64]), 'unsupported format specifier: n');
  t.is(checkPrintfArgs('%s', [none]), 'unable to print none type for specifier: s');
  t.is(checkPrintfArgs(parsePrintfFormat('%ld'), [u64]), undefined);
});

test('%gr prints GFP flags by name: compound masks first, then single bits, then unnamed bits in hex', (t) => {
  t.is(formatPrintf('%gr', [int(0x1n)]), 'GFP_DMA');
  t.is(formatPrintf('%gr', [int(0xcc0n)]), 'GFP_KERNEL');
  t.is(formatPrintf('%gr', [int(0x400cc0n)]), 'GFP_KERNEL_ACCOUNT');
  // GFP_ATOMIC (HIGH | KSWAPD_RECLAIM) with HIGHMEM.
  t.is(formatPrintf('%gr', [int(0x822n)]), 'GFP_ATOMIC|__GFP_HIGHMEM');
  // IO | FS | DIRECT_RECLAIM is no compound mask (GFP_NOFS also wants KSWAPD_RECLAIM).
  t.is(formatPrintf('%gr', [int(0x4c0n)]), '__GFP_IO|__GFP_FS|__GFP_DIRECT_RECLAIM');
  // __GFP_MOVABLE (0x8) has no name of its own; bit 9 is unused.
  t.is(formatPrintf('%gr', [int(0xcc8n)]), 'GFP_KERNEL|0x8');
  t.is(formatPrintf('%gr', [int(0x200n)]), '0x200');
  t.is(formatPrintf('%gr', [int(0n)]), '0');
  t.is(formatPrintf('[%-10gr][%10gr]', [int(1n), int(1n)]), '[GFP_DMA   ][   GFP_DMA]');
  t.is(formatPrintf('%gr', [{ value: 'abc', type: str(4) }]), '!{invalid GFP flags conversion: abc}');
});

test('checkPrintfArgs: %gr takes integers, %g alone stays unsupported', (t) => {
  t.like(parsePrintfFormat('%gr!').specs[0], { text: '%gr', conversion: 'gr' });
  t.is(checkPrintfArgs('%gr %gr', [u64, i8]), undefined);
  t.is(checkPrintfArgs('%gr', [str(16)]), "unsupported format specifier for type 'string[16]': gr");
  t.is(checkPrintfArgs('%g', [i64]), 'unsupported format specifier: g');
});
