import test from 'ava';
import type { Value, ValueType } from '../../../core/manifest/index.ts';
import { formatValue, hexFormatBuffer, compareValues, enumText } from '../../../lib/render/index.ts';
import { bool, buf, i32, i64, i8, none, ptr, record, str, tuple, u32, u64, u8 } from '../../helpers/output.ts';

const inner = tuple([i64, 0], [i64, 8]);
const structFoo: ValueType = { kind: 'struct', name: 'struct Foo', fields: [{ name: 'm', type: i32, offset: 0 }, { name: 'n', type: i32, offset: 4 }], size: 8 };
const arr4: ValueType = { kind: 'array', element: i32, length: 4, size: 16 };
const arr2x2: ValueType = { kind: 'array', element: { kind: 'array', element: i32, length: 2, size: 8 }, length: 2, size: 16 };
const state: ValueType = { kind: 'int', size: 4, signed: true, enumName: 'state' };
const enumNames = new Map([['state', new Map([[0n, 'IDLE'], [1n, 'RUNNING']])]]);

// [description, value, type, expected text]
const golden: [string, Value, ValueType, string][] = [
  ['int64', -42n, i64, '-42'],
  ['uint64 max', 18446744073709551615n, u64, '18446744073709551615'],
  ['int8', -128n, i8, '-128'],
  ['uint8', 255n, u8, '255'],
  ['uint32', 4294967295n, u32, '4294967295'],
  ['bool true', true, bool, 'true'],
  ['bool false', false, bool, 'false'],
  ['string (unquoted)', 'hello world', str(16), 'hello world'],
  ['empty string', '', str(16), ''],
  ['pointer', 0xffff8880deadbeefn, ptr, '0xffff8880deadbeef'],
  ['null pointer', 0n, ptr, '0x0'],
  ['buffer', new Uint8Array([0x61, 0x62, 0x01, 0xff, 0x20, 0x7e, 0x7f]), buf(8), 'ab\\x01\\xff ~\\x7f'],
  ['empty buffer', new Uint8Array([]), buf(8), ''],
  ['tuple', [1n, 2n, 'str', [4n, 5n]], tuple([i64, 0], [i64, 8], [str(4), 16], [inner, 24]), '(1, 2, str, (4, 5))'],
  ['record', { kind: 'record', fields: [['a', 0n], ['c', 'str'], ['d', [5n, 6n]]] }, record(['a', i32, 0], ['c', str(4), 4], ['d', inner, 8]), '{ .a = 0, .c = str, .d = (5, 6) }'],
  ['empty record', { kind: 'record', fields: [] }, { kind: 'record', fields: [], size: 0 }, '{}'],
  ['struct', { kind: 'record', fields: [['m', 2n], ['n', 3n]] }, structFoo, '{ .m = 2, .n = 3 }'],
  ['array (no spaces)', [1n, 2n, 3n, 4n], arr4, '[1,2,3,4]'],
  ['nested array', [[5n, 6n], [7n, 8n]], arr2x2, '[[5,6],[7,8]]'],
  ['none', null, none, 'null'],
  ['enum without names: the number', 1n, state, '1'],
];

for (const [name, value, type, expected] of golden) {
  test(`formatValue: ${name}`, (t) => {
    t.is(formatValue(value, type), expected);
  });
}

test('enums print symbolically when names are supplied, else as unsigned numbers', (t) => {
  t.is(formatValue(1n, state, { enumNames }), 'RUNNING');
  t.is(formatValue(7n, state, { enumNames }), '7');
  t.is(formatValue(-1n, state, { enumNames }), '4294967295');
  t.is(enumText(0n, { size: 4, enumName: 'state' }, enumNames), 'IDLE');
  const t2 = tuple([state, 0], [i32, 4]);
  t.is(formatValue([0n, 5n], t2, { enumNames }), '(IDLE, 5)');
});

test('hexFormatBuffer: %r keeps ASCII, %rx escapes all, %rh is spaced hex', (t) => {
  const hello = new Uint8Array([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00]);
  t.is(hexFormatBuffer(hello), 'Hello\\x00');
  t.is(hexFormatBuffer(hello, false), '\\x48\\x65\\x6c\\x6c\\x6f\\x00');
  t.is(hexFormatBuffer(hello, false, false), '48 65 6c 6c 6f 00');
});

test('a value that does not match its type still prints (never throws)', (t) => {
  t.is(formatValue('oops', i64), 'oops');
  t.is(formatValue(5n, str(4)), '5');
});

test('compareValues orders numbers, strings, tuples and buffers', (t) => {
  t.true(compareValues(-1n, 2n) < 0);
  t.true(compareValues('a', 'ab') < 0);
  t.true(compareValues('b', 'ab') > 0);
  t.true(compareValues([1n, 'b'], [1n, 'c']) < 0);
  t.true(compareValues([2n, 'a'], [1n, 'z']) > 0);
  t.is(compareValues(new Uint8Array([1, 2]), new Uint8Array([1, 2])), 0);
  t.true(compareValues(false, true) < 0);
  t.true(compareValues({ kind: 'record', fields: [['a', 1n]] }, { kind: 'record', fields: [['a', 2n]] }) < 0);
});
