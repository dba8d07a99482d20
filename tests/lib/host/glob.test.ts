// Glob matching of probe names (lib/host/glob.ts): shell-style wildcards,
// matched without compiling the user's text into a RegExp, in time bounded by
// the glob's length times the name's.
import test from 'ava';
import { globMatcher, hasWildcard, starMatcher } from '../../../lib/host/index.ts';

const matches = (glob: string, name: string) => globMatcher(glob).test(name);

test('*, ? and classes, anchored at both ends', (t) => {
  t.true(matches('sys_enter_*', 'sys_enter_openat'));
  t.false(matches('sys_enter_*', 'sys_exit_openat'));
  t.true(matches('*open*', 'sys_enter_openat'));
  t.true(matches('*', ''));
  t.true(matches('sys_enter_open?t', 'sys_enter_openat'));
  t.false(matches('sys_enter_open?', 'sys_enter_openat'));
  t.true(matches('vfs_[rw]*', 'vfs_read'));
  t.true(matches('vfs_[a-z]rite', 'vfs_write'));
  t.false(matches('vfs_[^w]rite', 'vfs_write'));
  t.true(matches('vfs_[^w]*', 'vfs_read'));
  t.true(matches('a*b*c', 'aXbYbZc'));
  t.false(matches('a*b*c', 'aXbYbZ'));
  t.true(matches('**x', 'x'));
  t.false(matches('abc', 'abcd'));
});

test('characters that mean something to RegExp stand for themselves', (t) => {
  t.true(matches('a.b', 'a.b'));
  t.false(matches('a.b', 'axb'));
  t.true(matches('f(x)+$^|{1}', 'f(x)+$^|{1}'));
  t.true(matches('back\\slash', 'back\\slash'));
  // An unclosed `[` is a plain character; an inverted range matches nothing.
  t.true(matches('a[b', 'a[b'));
  t.false(matches('[z-a]', 'm'));
  t.false(matches('[]x', 'x'));
});

test('hostile globs neither throw nor take long', (t) => {
  const started = performance.now();
  const name = 'a'.repeat(5000);
  t.false(matches(`${'*a'.repeat(40)}b`, name));
  t.true(matches('x'.repeat(200_000), 'x'.repeat(200_000)));
  t.false(matches('*'.repeat(1000) + 'b', name));
  t.false(matches('[z-a]*', 'sys_enter_read'));
  t.true(performance.now() - started < 2000, `${(performance.now() - started).toFixed(0)} ms`);
});

test('bpfscript -l patterns: only * is a wildcard', (t) => {
  t.true(starMatcher('*sys_enter_open*').test('tracepoint:syscalls:sys_enter_openat'));
  t.false(starMatcher('sys?').test('sysx'));
  t.true(starMatcher('sys?').test('sys?'));
  t.true(starMatcher('[a]*').test('[a]b'));
  t.true(hasWildcard('a*') && hasWildcard('a?') && hasWildcard('a[') && !hasWildcard('abc'));
});
