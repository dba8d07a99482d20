import test from 'ava';
import type { Value, ValueType } from '../../../../core/manifest/index.ts';
import { jsonArray, jsonInt, jsonObject, jsonPrintValue, jsonString, jsonValue } from '../../../../plugins/output/json/index.ts';
import { bool, buf, i16, i32, i64, i8, none, ptr, record, str, tuple, u32, u64, u8 } from '../../../helpers/output.ts';
import { parseLines, schemaErrors } from './schema.ts';

test('strings: bpftrace escapes quote, backslash, \\n \\r \\t by letter and other controls as \\u00XX', (t) => {
  t.is(jsonString('test \r \n \t \\ " bar'), '"test \\r \\n \\t \\\\ \\" bar"');
  t.is(jsonString('\x00\x01\x1f\x7f'), '"\\u0000\\u0001\\u001f\x7f"');
  t.is(jsonString('\b\f'), '"\\u0008\\u000c"');
  t.is(jsonString('héllo ☃'), '"héllo ☃"');
  t.is(jsonString(''), '""');
  // Whatever the escapes, JSON.parse gives the text back.
  const s = 'a\u0000b\u001bc"d\\e\nf\u2028';
  t.is(JSON.parse(jsonString(s)), s);
});

test('integers: numbers while a double holds them exactly, strings past that', (t) => {
  t.is(jsonInt(0n), '0');
  t.is(jsonInt(-5n), '-5');
  t.is(jsonInt(9007199254740992n), '9007199254740992'); // 2^53
  t.is(jsonInt(9007199254740993n), '"9007199254740993"');
  t.is(jsonInt(1n << 62n), '4611686018427387904'); // a power of two is exact
  t.is(jsonInt(18446744073709551615n), '"18446744073709551615"');
  t.is(jsonInt(-9223372036854775808n), '-9223372036854775808');
  t.is(jsonInt(9223372036854775807n), '"9223372036854775807"');
});

test('objects are spaced, arrays are not (as bpftrace)', (t) => {
  t.is(jsonObject([['a', '1'], ['b', '[1,2]']]), '{"a": 1, "b": [1,2]}');
  t.is(jsonObject([]), '{}');
  t.is(jsonArray(['1', '"x"']), '[1,"x"]');
  t.is(jsonArray([]), '[]');
});

test('every integer width and sign', (t) => {
  t.is(jsonValue(-1n, i8), '-1');
  t.is(jsonValue(255n, u8), '255');
  t.is(jsonValue(-300n, i16), '-300');
  t.is(jsonValue(-70000n, i32), '-70000');
  t.is(jsonValue(4294967295n, u32), '4294967295');
  t.is(jsonValue(-4n, i64), '-4');
  t.is(jsonValue(18446744073709551615n, u64), '"18446744073709551615"');
});

test('enums are their number (read unsigned), never the name', (t) => {
  const e: ValueType = { kind: 'int', size: 4, signed: true, enumName: 'Foo' };
  t.is(jsonValue(333n, e), '333');
  t.is(jsonValue(-1n, e), '4294967295');
  t.is(jsonValue(10n, e, 10n), '10'); // div never touches an enum
});

test('bool, string, none, pointer, buffer', (t) => {
  t.is(jsonValue(true, bool), 'true');
  t.is(jsonValue(false, bool), 'false');
  t.is(jsonValue('a b \n d e', str(16)), '"a b \\n d e"');
  t.is(jsonValue(null, none), 'null');
  t.is(jsonValue(50n, ptr), '50'); // bpftrace prints (int16*)0x32 as 50
  t.is(jsonValue(0xffff8880deadbeefn, ptr), '"18446612685805960943"');
  t.is(jsonValue(new Uint8Array([104, 105, 0, 255]), buf(4)), '[104,105,0,255]');
  t.is(jsonValue(new Uint8Array([]), buf(4)), '[]');
});

test('tuples are arrays, nested ones too (upstream json-output "tuple")', (t) => {
  const inner = tuple([i64, 0], [i64, 8]);
  const ty = tuple([i64, 0], [i64, 8], [str(8), 16], [inner, 24]);
  t.is(jsonValue([1n, 2n, 'string', [4n, 5n]], ty), '[1,2,"string",[4,5]]');
  t.is(jsonValue([true, false], tuple([bool, 0], [bool, 1])), '[true,false]');
  t.is(jsonValue([1n, 2n, 'string with "quotes"'], tuple([i64, 0], [i64, 8], [str(24), 16])), '[1,2,"string with \\"quotes\\""]');
});

test('records and structs are objects, arrays are arrays (upstream "print_non_map_nested_struct")', (t) => {
  const inner = record(['m', i32, 0]);
  const y: ValueType = { kind: 'struct', name: 'Y', fields: [{ name: 'm', type: { kind: 'array', element: i32, length: 1, size: 4 }, offset: 0 }], size: 4 };
  const a: ValueType = { kind: 'struct', name: 'A', fields: [{ name: 'n', type: i32, offset: 0 }], size: 4 };
  const foo: ValueType = { kind: 'struct', name: 'Foo', fields: [{ name: 'y', type: y, offset: 0 }, { name: 'a', type: a, offset: 4 }], size: 8 };
  const v: Value = {
    kind: 'record',
    fields: [
      ['y', { kind: 'record', fields: [['m', [2n]]] }],
      ['a', { kind: 'record', fields: [['n', 3n]] }],
    ],
  };
  t.is(jsonValue(v, foo), '{"y": {"m": [2]}, "a": {"n": 3}}');
  t.is(jsonValue({ kind: 'record', fields: [['m', 2n]] }, inner), '{"m": 2}');
  t.is(jsonValue({ kind: 'record', fields: [] }, record()), '{}');
  const withNone = record(['i', i32, 0], ['f', none, 4]);
  t.is(jsonValue({ kind: 'record', fields: [['i', 5n], ['f', null]] }, withNone), '{"i": 5, "f": null}');
  t.is(jsonValue([0n, { kind: 'record', fields: [['m', 2n], ['n', 3n]] }], tuple([i64, 0], [record(['m', i32, 0], ['n', i32, 4]), 8])), '[0,{"m": 2, "n": 3}]');
});

test('div divides plain integers inside tuples and records, not enums', (t) => {
  const e: ValueType = { kind: 'int', size: 8, signed: false, enumName: 'E' };
  t.is(jsonValue([100n, 100n], tuple([i64, 0], [e, 8]), 10n), '[10,100]');
  t.is(jsonValue(-15n, i64, 10n), '-1');
});

test('a value whose shape does not match its type still prints, never throws', (t) => {
  t.is(jsonValue('x', i64), '"x"');
  t.is(jsonValue(5n, str(8)), '5');
  t.is(jsonValue([1n, 'a'], bool), '[1,"a"]');
});

test('print(value): {"type": "value", "data": ...} lines valid against the schema', (t) => {
  const lines = [
    jsonPrintValue(5n, i64),
    jsonPrintValue('bpftrace', str(16)),
    jsonPrintValue([1n, 2n, 'string'], tuple([i64, 0], [i64, 8], [str(8), 16])),
    jsonPrintValue({ kind: 'record', fields: [['m', 2n], ['n', 3n]] }, record(['m', i32, 0], ['n', i32, 4])),
    jsonPrintValue(null, none),
  ];
  t.deepEqual(lines, [
    '{"type": "value", "data": 5}\n',
    '{"type": "value", "data": "bpftrace"}\n',
    '{"type": "value", "data": [1,2,"string"]}\n',
    '{"type": "value", "data": {"m": 2, "n": 3}}\n',
    '{"type": "value", "data": null}\n',
  ]);
  for (const m of parseLines(lines.join(''))) t.is(schemaErrors(m), '');
});
