// The type pass on string literals and positional parameters given as text:
// as upstream, a string must fit max_strlen, the size of every string a BPF
// program holds (a longer one fits neither the BPF stack nor an event).
import test from 'ava';
import { defaultConfig } from '../../../../sdk/index.ts';
import { errorOf, printed } from './helpers.ts';

test('a string literal up to max_strlen - 1 bytes is a string of its size', (t) => {
  t.deepEqual(printed(`begin { print("${'a'.repeat(63)}"); print("hi"); }`), [`string[64] = "${'a'.repeat(63)}"`, 'string[3] = "hi"']);
});

test('a longer string literal is refused at the literal, its text cut short in the message', (t) => {
  const long = 'k'.repeat(10_000);
  const lines = errorOf(`begin { @["${long}"] = 1; }`).split('\n');
  t.is(lines[0], `stdin:1:11-10013: ERROR: String is too long (over 64 bytes): ${'k'.repeat(80)}...`);
  t.is(errorOf(`begin { print("${'a'.repeat(64)}"); }`).split('\n')[0], `stdin:1:15-81: ERROR: String is too long (over 64 bytes): ${'a'.repeat(64)}`);
  // printf's format is no string value: it may be longer.
  t.notThrows(() => printed(`begin { printf("${'f'.repeat(200)}\\n"); }`));
});

test('max_strlen sets the bound; a positional parameter given as text is held to it too', (t) => {
  const config = { ...defaultConfig, maxStrlen: 256 };
  t.deepEqual(printed(`begin { print("${'a'.repeat(200)}"); }`, { config }), [`string[201] = "${'a'.repeat(200)}"`]);
  t.is(errorOf('begin { print($1); }', { positional: ['x'.repeat(100)] }).split('\n')[0], `stdin:1:15-17: ERROR: String is too long (over 64 bytes): ${'x'.repeat(80)}...`);
});
