// tseries() end to end against the kernel: interval probes feed a series
// whose printed shape (rows, values, markers) is checked; times vary.
import { schemaErrors } from '../plugins/output/json/schema.ts';
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

const ROW = /^\d\d:\d\d:\d\d\.\d{3} \|?[ .*|]+ (-?\d+|-)$/;

test('a scalar tseries prints its last intervals with the value on each row', async (t) => {
  const r = await bpfscript(['-e', 'interval:ms:100 { @ = tseries(5, 100ms, 4); } interval:ms:1050 { exit(); }']);
  t.is(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const at = lines.indexOf('@:');
  t.true(at >= 0, r.stdout);
  t.is(lines[at + 1], '             4                                                   6');
  t.is(lines[at + 2], 'hh:mm:ss.ms  |___________________________________________________|');
  const rows = lines.slice(at + 3, at + 7);
  t.is(rows.length, 4);
  for (const row of rows) {
    t.regex(row, ROW);
    // Every interval got a 5 (or none, if a tick slipped a slot): the point is mid-graph.
    if (!row.endsWith(' -')) t.is(row.slice(13), '|                         *                         | 5');
  }
  t.true(rows.filter((row) => row.endsWith(' 5')).length >= 3, r.stdout);
  t.is(lines[at + 7], '             v___________________________________________________v');
  t.is(lines[at + 8], '             4                                                   6');
});

test('sum, keys and a rising value: the graph climbs to the right edge', async (t) => {
  const r = await bpfscript(['-e', 'interval:ms:100 { @t["x"] = tseries(@n, 100ms, 5, "sum"); @n++; } interval:ms:1050 { clear(@n); exit(); }']);
  t.is(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const at = lines.indexOf('@t[x]:');
  t.true(at >= 0, r.stdout);
  const rows = lines.slice(at + 3, at + 8);
  for (const row of rows) t.regex(row, ROW);
  // A tick that slipped past its interval leaves a gap ("-"): compare the rest.
  const values = rows.filter((row) => !row.endsWith(' -')).map((row) => Number(row.split(' ').pop()));
  for (let i = 1; i < values.length; i++) t.true(values[i] > values[i - 1], r.stdout);
  // The largest value sits on the right edge, the smallest on the left.
  t.is(rows[4][13 + 52], '*');
  t.is(rows[0][13], '*');
});

test('JSON output: a tseries message with interval starts and values', async (t) => {
  const r = await bpfscript(['-q', '-f', 'json', '-e', 'interval:ms:100 { @a = tseries(9, 100ms, 3, "max"); } interval:ms:550 { exit(); }']);
  t.is(r.code, 0, r.stderr);
  const msg = JSON.parse(r.stdout.trim().split('\n').pop()!);
  t.is(msg.type, 'tseries');
  t.is(schemaErrors(msg), '');
  const points = msg.data['@a'] as { interval_start: string; value: number | null }[];
  t.is(points.length, 3);
  for (const p of points) t.regex(p.interval_start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}$/);
  t.true(points.filter((p) => p.value === 9).length >= 2);
  const starts = points.map((p) => Date.parse(p.interval_start.slice(0, 23)));
  t.is(starts[1] - starts[0], 100);
});

test('BPFTRACE_DUMMY_TS_MAP: a scalar map is the clock, shown as wall-clock time since the epoch', async (t) => {
  const env = { BPFTRACE_DUMMY_TS_MAP: '@ts', TZ: 'UTC' };
  // Four values 100 ms apart from 2 s on; the slot of 2.1 s files two (avg 6); exit() leaves them as filed.
  const prog = 'begin { @ts = (uint64)2000000000; } interval:ms:1 { @a = tseries(3, 100ms, 4, "avg"); @ts += 100ms; @a = tseries(5, 100ms, 4, "avg"); @ts += 50ms; @a = tseries(7, 100ms, 4, "avg"); @ts += 50ms; @a = tseries(1, 100ms, 4, "avg"); clear(@ts); exit(); }';
  const r = await bpfscript(['-q', '-e', prog], { env });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.split('\n').filter((l) => /^\d\d:/.test(l)).join('\n'), [
    '00:00:02.000 |                   *                               | 3',
    '00:00:02.100 |                                                   * 6',
    '00:00:02.200 *                                                   | 1',
  ].join('\n'));
  const zeroed = await bpfscript(['-q', '-f', 'json', '-e', prog.replace('clear(@ts);', 'clear(@ts); zero(@a);')], { env });
  t.deepEqual(JSON.parse(zeroed.stdout.trim().split('\n')[0]!), { type: 'tseries', data: { '@a': [] } }, 'a zeroed series has no intervals');
  const keyed = await bpfscript(['-q', '-e', 'begin { @ts = (int64)1; @k[1] = 1; } interval:ms:1 { @a = tseries(1, 1s, 2); exit(); }'], { env: { BPFTRACE_DUMMY_TS_MAP: '@k' } });
  t.is(keyed.stderr, 'ERROR: BPFTRACE_DUMMY_TS_MAP: map @k must be a scalar map (no keys)\n');
  const config = await bpfscript(['-e', 'config = { dummy_ts_map = "@ts" } begin { exit(); }']);
  t.regex(config.stderr, /ERROR: dummy_ts_map: can only be set as an environment variable/);
});

test('after exit() no other probe runs (end does): a 1 ms interval leaves its count at the exit', async (t) => {
  const r = await bpfscript(['-q', '-e', 'interval:ms:1 { @n = count(); if (@n >= 3) { exit(); } } end { printf("end %d\\n", @n); }']);
  t.is(r.stdout, 'end 3\n\n\n@n: 3\n');
});

test('type errors point at the offending argument', async (t) => {
  const cases: [string, string][] = [
    ['tseries(1, 0, 10)', 'ERROR: tseries() interval_ns must be >= 1 (0 provided)'],
    ['tseries(1, -1, 10)', 'ERROR: tseries: invalid interval_ns value (must be non-negative literal)'],
    ['tseries(1, 1s, 0)', 'ERROR: tseries() num_intervals must be >= 1 (0 provided)'],
    ['tseries(1, 1s, 1000001)', 'ERROR: tseries() num_intervals must be < 1000000 (1000001 provided)'],
    ['tseries(1, 1s, 5, "stats")', 'ERROR: tseries() expects one of the following aggregation functions: avg, max, min, sum ("stats" provided)'],
    ['tseries("a", 1s, 5)', 'ERROR: tseries() expects an integer argument, got string[2]'],
  ];
  for (const [call, message] of cases) {
    const r = await bpfscript(['-e', `begin { @ = ${call}; }`]);
    t.not(r.code, 0);
    t.true(r.stderr.includes(message), r.stderr);
  }
  const read = await bpfscript(['-e', 'begin { @ = tseries(1, 1s, 5); @x = @ + 1; }']);
  t.true(read.stderr.includes('Map value of type tseries_t cannot be read in a probe'), read.stderr);
});
