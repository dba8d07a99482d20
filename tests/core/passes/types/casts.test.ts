// The type pass on casts: integer widths and signedness (folded), bools,
// pointers, and reinterpreting bytes as arrays and back; every refusal with
// the exact diagnostic the CLI prints.
import test from 'ava';
import { checkScript, errorOf, printed } from './helpers.ts';
import type * as A from '../../../../core/syntax/ast.ts';
import { typeName } from '../../../../core/types/index.ts';

test('integer casts truncate and fold constants to the target width and signedness', (t) => {
  t.deepEqual(printed('begin { print((uint8)300); print((int8)255); print((uint16)-1); print((int64)(uint8)200); print((uint32)pid); print((bool)1); }'), [
    'uint8 = 44',
    'int8 = -1',
    'uint16 = 65535',
    'int64 = 200',
    'uint32',
    'bool',
  ]);
});

test('integers and pointers cast to pointers', (t) => {
  t.deepEqual(printed('begin { print((int32 *)0); print((void *)curtask); print((uint64)curtask); }'), ['int32 *', 'void *', 'uint64']);
});

test('a negative literal made a pointer keeps its smallest signed type, whose bytes are the address', (t) => {
  const { typed } = checkScript('begin { print((uint8 *)-1); print((uint8 *)-200); print((uint8 *)-100000); }');
  const negations = [...typed.instances[0]!.exprTypes].filter(([e]) => e.kind === 'Unary').map(([, type]) => typeName(type));
  t.deepEqual(negations, ['int8', 'int16', 'int32']);
});

test('bytes reinterpreted: an integer literal takes the width the array needs; T[] takes its length from the size', (t) => {
  t.deepEqual(printed('begin { print((uint8[4])12345); print((int8[])"abc"); print((uint16[])"abc"); $bytes = (uint8[8])1; print((uint64)$bytes); }'), [
    'uint8[4]',
    'int8[4]',
    'uint16[2]',
    'uint64',
  ]);
  const { typed } = checkScript('begin { print((uint8[4])12345); }');
  const types = typed.instances[0];
  const literal = [...types.exprTypes.keys()].find((e): e is A.Integer => e.kind === 'Integer')!;
  t.is(typeName(types.exprTypes.get(literal)!), 'int32', 'the literal is retyped to the array\'s width');
});

test('reinterpreting needs matching sizes', (t) => {
  t.is(errorOf('begin { $bytes = (uint8[8])1; print((uint32)$bytes) }'), [
    'stdin:1:37-51: ERROR: Cannot cast from "uint8[8]" to "uint32": sizes differ (8 and 4 bytes)',
    'begin { $bytes = (uint8[8])1; print((uint32)$bytes) }',
    '                                    ~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { print((uint64[])"abc") }'), [
    'stdin:1:16-24: ERROR: Cannot cast a 4-byte value to an array of uint64',
    'begin { print((uint64[])"abc") }',
    '               ~~~~~~~~',
    '',
  ].join('\n'));
});

test('casts between kinds that do not convert', (t) => {
  t.is(errorOf('begin { print((string)1) }'), [
    'stdin:1:15-24: ERROR: Cannot cast from "int8" to "string[64]"',
    'begin { print((string)1) }',
    '              ~~~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { print((uint8)"abc") }'), [
    'stdin:1:15-27: ERROR: Cannot cast from "string[4]" to "uint8"',
    'begin { print((uint8)"abc") }',
    '              ~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('a cast to a type nobody defines', (t) => {
  t.is(errorOf('begin { print((struct nope *)0) }'), [
    'stdin:1:16-27: ERROR: Unknown type: struct nope',
    'begin { print((struct nope *)0) }',
    '               ~~~~~~~~~~~',
    '',
  ].join('\n'));
});
