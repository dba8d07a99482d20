// A map that is full: storing a new key fails in the kernel (-E2BIG), and the
// program says so at the assignment with bpftrace's words, without -k; an LRU
// map makes room instead, so it says nothing. --no-warnings keeps it quiet.
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

const timeoutMs = 120_000;
const FULL = "WARNING: Map full; can't update element. Try increasing max_map_keys config or manually setting the max entries in a map declaration e.g. `let @a = hash(5000)`";

test('a plain value stored under a new key of a full hash map warns at the assignment; the first key stays', async (t) => {
  const prog = 'let @a = hash(1); begin { @a[1] = 1; @a[2] = 2; @a[1] = 3; exit(); }';
  const r = await bpfscript(['-q', '-e', prog], { timeoutMs });
  t.is(r.stdout, '\n\n@a[1]: 3\n');
  t.is(r.stderr, [
    `stdin:1:38-47: ${FULL}`,
    'Additional Info - helper: map_update_elem, retcode: -7',
    prog,
    '                                     ~~~~~~~~~',
    '',
  ].join('\n'));
});

test('count(), hist() and ++ on a full per-CPU map warn each at their own statement', async (t) => {
  const prog = 'let @c = percpuhash(1); let @h = percpuhash(1); let @p = hash(1); begin { @c[1] = count(); @c[2] = count(); @h[1] = hist(5); @h[2] = hist(5); @p[1]++; @p[2]++; exit(); }';
  const r = await bpfscript(['-q', '-e', prog], { timeoutMs });
  const located = r.stderr.split('\n').filter((l) => l.startsWith('stdin:'));
  const col = (s: string) => prog.indexOf(s) + 1;
  t.deepEqual(located, [
    `stdin:1:${col('@c[2]')}-${col('@c[2]') + '@c[2] = count()'.length}: ${FULL}`,
    `stdin:1:${col('@h[2]')}-${col('@h[2]') + '@h[2] = hist(5)'.length}: ${FULL}`,
    `stdin:1:${col('@p[2]')}-${col('@p[2]') + '@p[2]++'.length}: ${FULL}`,
  ]);
  t.true(r.stdout.includes('@c[1]: 1\n') && !r.stdout.includes('@c[2]'), r.stdout);
});

test('an LRU map evicts instead: no warning', async (t) => {
  const r = await bpfscript(['-q', '-e', 'let @a = lruhash(1); let @c = percpulruhash(1); begin { @a[1] = 1; @a[2] = 2; @c[1] = count(); @c[2] = count(); exit(); }'], { timeoutMs });
  t.is(r.stderr, '');
  // Which key an LRU map keeps is the kernel's choice; one key is kept.
  t.is(r.stdout.split('\n').filter((l) => l.startsWith('@a[')).length, 1, r.stdout);
  t.true(r.stdout.includes('@c[2]: 1\n'), r.stdout);
});

test('--no-warnings: no warning for a full map; json gives the helper error with its errno text', async (t) => {
  const prog = 'let @a = hash(1); begin { @a[1] = 1; @a[2] = 2; exit(); }';
  const quiet = await bpfscript(['-q', '--no-warnings', '-e', prog], { timeoutMs });
  t.is(quiet.stderr, '');
  t.is(quiet.stdout, '\n\n@a[1]: 1\n');
  const json = await bpfscript(['-q', '-f', 'json', '-e', prog], { timeoutMs });
  t.is(json.stdout.split('\n')[0], '{"type": "helper_error", "msg": "Argument list too long", "helper": "map_update_elem", "retcode": -7, "filename": "stdin", "line": 1, "col": 38}');
});
