// `-f json` end to end against the kernel: every stdout line is one JSON
// document, valid against docs/json-output.schema.json and equal to what
// upstream bpftrace prints (its tests/runtime/json-output cases).
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';
import { parseLines, schemaErrors } from '../plugins/output/json/schema.ts';
import { histJson, histMultipleJson, histMultipleKeysJson, lhistJson, statsMultipleJson } from '../plugins/output/json/upstream.ts';

/** Runs a program with `-f json` (and `-q` unless told otherwise); fails on any line the schema rejects. */
async function runJson(prog: string, args: string[] = ['-q']) {
  const r = await bpfscript(['-f', 'json', ...args, '-e', prog]);
  const messages = parseLines(r.stdout);
  for (const m of messages) {
    const errors = schemaErrors(m);
    if (errors) throw new Error(`schema: ${errors}\n${JSON.stringify(m)}`);
  }
  return { ...r, messages };
}

test('a begin probe with printf, a keyed count, a hist, stats and a printed tuple', async (t) => {
  const r = await runJson('begin { printf("hi %d\\n", 1); @c[1,"a"] = count(); @h = hist(5); @s = stats(3); print((1, "x")); exit(); }', []);
  t.is(r.stderr, '');
  t.is(r.code, 0);
  // Byte for byte as bpftrace writes it: spaced objects, unspaced arrays.
  t.is(
    r.stdout,
    '{"type": "attached_probes", "count": 1, "data": {"probes": 1}}\n' +
      '{"type": "printf", "data": "hi 1\\n"}\n' +
      '{"type": "value", "data": [1,"x"]}\n' +
      '{"type": "map", "data": {"@c": {"1,a": 1}}}\n' +
      '{"type": "hist", "data": {"@h": [{"min": 4, "max": 7, "count": 1}]}}\n' +
      '{"type": "stats", "data": {"@s": {"count": 1, "average": 3, "total": 3}}}\n',
  );
  t.deepEqual(r.messages, [
    { type: 'attached_probes', count: 1, data: { probes: 1 } },
    { type: 'printf', data: 'hi 1\n' },
    { type: 'value', data: [1, 'x'] },
    { type: 'map', data: { '@c': { '1,a': 1 } } },
    { type: 'hist', data: { '@h': [{ min: 4, max: 7, count: 1 }] } },
    { type: 'stats', data: { '@s': { count: 1, average: 3, total: 3 } } },
  ]);
});

// Upstream's tests/runtime/json-output, with `exit()` added (bpfscript has no test harness to stop begin-only programs).
const upstreamCases: [name: string, prog: string, expected: unknown[]][] = [
  ['scalar', 'begin { @scalar = 5; exit(); }', [{ type: 'map', data: { '@scalar': 5 } }]],
  ['scalar_str', 'begin { @scalar_str = "a b \\n d e"; exit(); }', [{ type: 'map', data: { '@scalar_str': 'a b \n d e' } }]],
  ['map', 'begin { @map["key1"] = 2; @map["key2"] = 3; exit(); }', [{ type: 'map', data: { '@map': { key1: 2, key2: 3 } } }]],
  [
    'multiple maps',
    'begin { @map1["key1"] = 2; @map2["key2"] = 3; exit(); }',
    [
      { type: 'map', data: { '@map1': { key1: 2 } } },
      { type: 'map', data: { '@map2': { key2: 3 } } },
    ],
  ],
  [
    'histogram',
    'begin { @hist = hist(2); @hist = hist(1025); exit(); }',
    [histJson],
  ],
  ['histogram zero', 'begin { @hist = hist(2); zero(@hist); exit(); }', [{ type: 'hist', data: { '@hist': [] } }]],
  [
    'multiple histograms',
    'begin { @["bpftrace"] = hist(2); @["curl"] = hist(-1); @["curl"] = hist(0); @["curl"] = hist(511); @["curl"] = hist(1024); @["curl"] = hist(1025); exit(); }',
    [histMultipleJson],
  ],
  [
    'multiple histograms multiple keys',
    'begin { @["bpftrace", 2] = hist(2); @["curl", 3] = hist(511); @["curl", 3] = hist(1024); exit(); }',
    [histMultipleKeysJson],
  ],
  [
    'linear histogram',
    'begin { @h = lhist(2, 0, 100, 10); @h = lhist(50, 0, 100, 10); @h = lhist(1000, 0, 100, 10); exit(); }',
    [lhistJson],
  ],
  ['linear histogram zero', 'begin { @h = lhist(2, 0, 100, 10); zero(@h); exit(); }', [{ type: 'hist', data: { '@h': [] } }]],
  ['stats', 'begin { @stats = stats(2); @stats = stats(10); exit(); }', [{ type: 'stats', data: { '@stats': { count: 2, average: 6, total: 12 } } }]],
  [
    'multiple stats',
    'begin { @stats["curl"] = stats(2); @stats["zsh"] = stats(10); exit(); }',
    [statsMultipleJson],
  ],
  ['printf', 'begin { printf("test %d", 5); exit(); }', [{ type: 'printf', data: 'test 5' }]],
  ['printf_escaping', 'begin { printf("test \\r \\n \\t \\\\ \\" bar"); exit(); }', [{ type: 'printf', data: 'test \r \n \t \\ " bar' }]],
  ['tuple', 'begin { @ = (1, 2, "string", (4, 5)); exit(); }', [{ type: 'map', data: { '@': [1, 2, 'string', [4, 5]] } }]],
  ['tuple_with_escaped_string', 'begin { @ = (1, 2, "string with \\"quotes\\""); exit(); }', [{ type: 'map', data: { '@': [1, 2, 'string with "quotes"'] } }]],
  ['print_non_map', 'begin { $x = 5; print($x); exit() }', [{ type: 'value', data: 5 }]],
  ['print_non_map_tuple', 'begin { $t = (1, 2, "string"); print($t); exit() }', [{ type: 'value', data: [1, 2, 'string'] }]],
  ['print bool type', 'begin { print((true, false)); exit(); }', [{ type: 'value', data: [true, false] }]],
  ['print_avg_map_args', 'begin { @["a"] = avg(10); @["b"] = avg(20); @["c"] = avg(30); @["d"] = avg(40); print(@, 2, 10); clear(@); exit(); }', [
    { type: 'stats', data: { '@': { c: 3, d: 4 } } },
    // The cleared avg map still prints at exit, as `{}` (bpftrace does the same).
    { type: 'stats', data: { '@': {} } },
  ]],
  ['print_avg_map_with_large_top', 'begin { @["a"] = avg(10); @["b"] = avg(20); @["c"] = avg(30); @["d"] = avg(40); print(@, 10, 10); exit(); }', [
    { type: 'stats', data: { '@': { a: 1, b: 2, c: 3, d: 4 } } },
    { type: 'stats', data: { '@': { a: 10, b: 20, c: 30, d: 40 } } },
  ]],
  ['print_hist_with_top_arg', 'begin { @[1] = hist(10); @[2] = hist(20); @[3] = hist(30); print(@, 2); clear(@); exit(); }', [
    { type: 'hist', data: { '@': { 2: [{ min: 16, max: 31, count: 1 }], 3: [{ min: 16, max: 31, count: 1 }] } } },
  ]],
];

for (const [name, prog, expected] of upstreamCases) {
  test(`upstream json-output: ${name}`, async (t) => {
    const r = await runJson(prog);
    t.is(r.code, 0, r.stderr);
    t.deepEqual(r.messages, expected);
  });
}

test('upstream json-output: print_non_map_builtin prints comm as a string', async (t) => {
  const r = await runJson('begin { print(comm); exit() }');
  t.is(r.messages.length, 1);
  const m = r.messages[0] as { type: string; data: unknown };
  t.is(m.type, 'value');
  t.regex(String(m.data), /^\S+$/);
});

test('upstream json-output: an unknown format is a usage error', async (t) => {
  const r = await bpfscript(['-q', '-f', 'jsonx', '-e', 'begin { @scalar = 5; }']);
  t.is(r.code, 1);
  t.true(r.stderr.startsWith('ERROR: Invalid output format "jsonx"\nValid formats: \'text\', \'json\'\n'));
  t.is(r.stdout, '');
});

test('without -q, attached_probes is the first line, on stdout; stderr stays empty', async (t) => {
  const r = await runJson('interval:ms:100 { @n = count(); exit(); }', []);
  t.is(r.stderr, '');
  t.deepEqual(r.messages[0], { type: 'attached_probes', count: 1, data: { probes: 1 } });
  t.deepEqual(r.messages.slice(1), [{ type: 'map', data: { '@n': 1 } }]);
});

test('-o FILE: every JSON line goes to the file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-json-'));
  try {
    const file = join(dir, 'out.ndjson');
    const r = await bpfscript(['-f', 'json', '-o', file, '-e', 'begin { printf("x"); @a = 1; exit(); }']);
    t.is(r.code, 0);
    t.is(r.stdout, '');
    const messages = parseLines(readFileSync(file, 'utf8'));
    for (const m of messages) t.is(schemaErrors(m), '');
    t.deepEqual(messages, [
      { type: 'attached_probes', count: 1, data: { probes: 1 } },
      { type: 'printf', data: 'x' },
      { type: 'map', data: { '@a': 1 } },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a tracepoint on a -c child: per-key counts as a map message', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-f', 'json', '-q', '-e', 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @calls[probe] = count(); }', '-c', prog]);
  t.is(r.code, 0, r.stderr);
  const messages = parseLines(r.stdout);
  for (const m of messages) t.is(schemaErrors(m), '');
  t.deepEqual(messages, [{ type: 'map', data: { '@calls': { 'tracepoint:syscalls:sys_enter_getppid': 1000 } } }]);
});

test('large unsigned values are strings, negative ones numbers; min/max/sum are map messages', async (t) => {
  const r = await runJson('begin { @big = 0xffffffffffffffff; @neg = -5; @mn = min(-3); @mx = max(4); @sm = sum(9); exit(); }');
  t.deepEqual(r.messages, [
    { type: 'map', data: { '@big': '18446744073709551615' } },
    { type: 'map', data: { '@mn': -3 } },
    { type: 'map', data: { '@mx': 4 } },
    { type: 'map', data: { '@neg': -5 } },
    { type: 'map', data: { '@sm': 9 } },
  ]);
});
