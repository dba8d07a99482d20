// Every message of the JSON format (checked against upstream bpftrace's exact
// lines and the schema), and the text format's side of the SDK methods added
// with it (textMessage, logf, runtimeError).
import test from 'ava';
import type { ValueType } from '../../../../core/manifest/index.ts';
import { JsonOutputFormat } from '../../../../plugins/output/json/index.ts';
import { TextOutputFormat } from '../../../../plugins/output/text/index.ts';
import type { OutputFormat, OutputWriter, PrintfAction, Span } from '../../../../sdk/index.ts';
import { capture, i64, mapInfo, str } from '../../../helpers/output.ts';
import { parseLines, schemaErrors } from './schema.ts';

/** Runs `emit` on a fresh writer; returns what went to stdout and stderr. */
function run(f: OutputFormat, emit: (f: OutputFormat, w: OutputWriter) => void): { stdout: string; stderr: string } {
  const w = capture();
  emit(f, w);
  return { stdout: w.stdout, stderr: w.stderr };
}

const json = new JsonOutputFormat();
const text = new TextOutputFormat();
const span: Span = { file: 'stdin', line: 1, col: 37, endLine: 1, endCol: 48 };
const program = 'struct foo {int a;}; begin { $tmp = ((struct foo*) 0)->a;  }';
const printfAction = (format: string, args: ValueType[] = []): PrintfAction => ({
  kind: 'printf',
  id: 1,
  format,
  args: args.map((type, i) => ({ type, offset: 8 + 8 * i })),
});

test('attached_probes and lost_events carry both count and data, on stdout (upstream "attached probes")', (t) => {
  t.deepEqual(run(json, (f, w) => f.attached(1, w)), { stdout: '{"type": "attached_probes", "count": 1, "data": {"probes": 1}}\n', stderr: '' });
  t.deepEqual(run(json, (f, w) => f.lostEvents(42, w)), { stdout: '{"type": "lost_events", "count": 42, "data": {"events": 42}}\n', stderr: '' });
});

test('printf: the formatted text (upstream "printf", "printf_escaping")', (t) => {
  t.is(run(json, (f, w) => f.printf(printfAction('test %d', [i64]), [{ value: 5n, type: i64 }], w)).stdout, '{"type": "printf", "data": "test 5"}\n');
  t.is(run(json, (f, w) => f.printf(printfAction('test \r \n \t \\ " bar'), [], w)).stdout, '{"type": "printf", "data": "test \\r \\n \\t \\\\ \\" bar"}\n');
  t.is(run(json, (f, w) => f.printf(printfAction('%s=%d\n', [str(8), i64]), [{ value: 'x', type: str(8) }, { value: 7n, type: i64 }], w)).stdout, '{"type": "printf", "data": "x=7\\n"}\n');
});

test('printf %s of an enum prints its name (upstream "enum_symbolized_printf")', (t) => {
  const e: ValueType = { kind: 'int', size: 8, signed: false, enumName: 'Foo' };
  const f = new JsonOutputFormat({ enumNames: new Map([['Foo', new Map([[1n, 'ONE']])]]) });
  t.is(run(f, (f, w) => f.printf(printfAction('%d %s\n', [e, e]), [{ value: 1n, type: e }, { value: 1n, type: e }], w)).stdout, '{"type": "printf", "data": "1 ONE\\n"}\n');
  // ...while print() keeps the number (upstream "enum_not_symbolized").
  t.is(run(f, (f, w) => f.printValue(1n, e, w)).stdout, '{"type": "value", "data": 1}\n');
});

test('time, cat, join, syscall: the text as data (upstream "time", "syscall", "join_delim", "cat")', (t) => {
  t.is(run(json, (f, w) => f.textMessage('time', '12:34:56\n', w)).stdout, '{"type": "time", "data": "12:34:56\\n"}\n');
  t.is(run(json, (f, w) => f.textMessage('syscall', 'a b c\n', w)).stdout, '{"type": "syscall", "data": "a b c\\n"}\n');
  t.is(run(json, (f, w) => f.textMessage('join', "/bin/echo,'A'", w)).stdout, '{"type": "join", "data": "/bin/echo,\'A\'"}\n');
  t.is(run(json, (f, w) => f.textMessage('cat', '1.5 2.5\n', w)).stdout, '{"type": "cat", "data": "1.5 2.5\\n"}\n');
});

test('errorf/warnf: msg and the call\'s location, no data field', (t) => {
  t.is(run(json, (f, w) => f.logf('error', 'bad "x"', { span }, w)).stdout, '{"type": "errorf", "msg": "bad \\"x\\"", "filename": "stdin", "line": 1, "col": 37}\n');
  t.is(run(json, (f, w) => f.logf('warning', 'careful', { span }, w)).stdout, '{"type": "warnf", "msg": "careful", "filename": "stdin", "line": 1, "col": 37}\n');
  t.is(run(json, (f, w) => f.logf('warning', 'somewhere', {}, w)).stdout, '{"type": "warnf", "msg": "somewhere"}\n');
});

test('helper_error and runtime_error (upstream "helper_error")', (t) => {
  const helper = run(json, (f, w) => f.runtimeError({ kind: 'helper', helper: 'probe_read', retcode: -14, message: 'Bad address' }, { span }, w));
  t.deepEqual(helper, {
    stdout: '{"type": "helper_error", "msg": "Bad address", "helper": "probe_read", "retcode": -14, "filename": "stdin", "line": 1, "col": 37}\n',
    stderr: '',
  });
  t.is(run(json, (f, w) => f.runtimeError({ kind: 'other', message: 'divide by zero' }, { span }, w)).stdout, '{"type": "runtime_error", "msg": "divide by zero", "filename": "stdin", "line": 1, "col": 37}\n');
});

test('every message line is one JSON document valid against the schema', (t) => {
  const w = capture();
  json.attached(3, w);
  json.printf(printfAction('hi %d\n', [i64]), [{ value: 1n, type: i64 }], w);
  json.printValue([1n, 'x'], { kind: 'tuple', elements: [{ type: i64, offset: 0 }, { type: str(8), offset: 8 }], size: 16 }, w);
  json.printMap({ info: mapInfo('@c', { kind: 'count' }, i64), entries: [{ key: 1n, value: { kind: 'int', value: 1n } }] }, { top: 0, div: 0 }, w);
  for (const kind of ['time', 'cat', 'join', 'syscall'] as const) json.textMessage(kind, 'x\n', w);
  json.logf('error', 'e', { span }, w);
  json.logf('warning', 'w', {}, w);
  json.runtimeError({ kind: 'helper', helper: 'probe_read', retcode: -14, message: 'Bad address' }, { span }, w);
  json.runtimeError({ kind: 'other', message: 'oops' }, { span }, w);
  json.lostEvents(7, w);
  const messages = parseLines(w.stdout);
  t.is(messages.length, 13);
  for (const m of messages) t.is(schemaErrors(m), '', JSON.stringify(m));
  t.is(w.stderr, '');
});

test('the schema rejects what bpftrace never prints', (t) => {
  const bad = [
    { type: 'attached_probes', data: { probes: 1 } }, // count missing
    { type: 'printf', data: 5 },
    { type: 'map', data: { '@a': 1, '@b': 2 } }, // one map per message
    { type: 'map', data: { x: 1 } }, // map names start with @
    { type: 'hist', data: { '@h': [{ min: 1, max: 2 }] } }, // count missing
    { type: 'hist', data: { '@h': [{ count: 1 }] } }, // neither bound
    { type: 'stats', data: { '@s': { count: 1, average: 2, total: 'x' } } },
    { type: 'errorf', msg: 'x', filename: 'stdin' }, // partial location
    { type: 'helper_error', msg: 'x', helper: 'h' }, // retcode missing
    { type: 'nonsense', data: '' },
    { type: 'value', data: 1.5 },
  ];
  for (const m of bad) t.not(schemaErrors(m), '', JSON.stringify(m));
});

// --- the text format's side of the new SDK methods ----------------------------------------

test('text: time and cat print as is; join and system add a newline (as bpftrace)', (t) => {
  t.deepEqual(run(text, (f, w) => f.textMessage('time', '12:34:56\n', w)), { stdout: '12:34:56\n', stderr: '' });
  t.is(run(text, (f, w) => f.textMessage('cat', 'abc', w)).stdout, 'abc');
  t.is(run(text, (f, w) => f.textMessage('join', 'a b', w)).stdout, 'a b\n');
  t.is(run(text, (f, w) => f.textMessage('syscall', 'out', w)).stdout, 'out\n');
});

test('text: errorf/warnf on stderr as a located ERROR/WARNING, without quoting the source', (t) => {
  t.deepEqual(run(text, (f, w) => f.logf('error', 'bad thing', { span }, w)), { stdout: '', stderr: 'stdin:1:37-48: ERROR: bad thing\n' });
  t.is(run(text, (f, w) => f.logf('warning', 'careful', { span, sources: new Map([['stdin', program]]) }, w)).stderr, 'stdin:1:37-48: WARNING: careful\n');
  t.is(run(text, (f, w) => f.logf('warning', 'no place', {}, w)).stderr, 'WARNING: no place\n');
});

test('text: a helper error is a WARNING quoting the source, with helper and retcode', (t) => {
  const r = run(text, (f, w) => f.runtimeError({ kind: 'helper', helper: 'probe_read', retcode: -14, message: 'Bad address' }, { span, sources: new Map([['stdin', program]]) }, w));
  t.is(r.stdout, '');
  t.is(
    r.stderr,
    'stdin:1:37-48: WARNING: Bad address\nAdditional Info - helper: probe_read, retcode: -14\n' + program + '\n' + ' '.repeat(36) + '~'.repeat(11) + '\n',
  );
});

test('text: bpftrace\'s plainer messages for failed map helpers', (t) => {
  const msg = (helper: string, retcode: number) => run(text, (f, w) => f.runtimeError({ kind: 'helper', helper, retcode, message: 'strerror' }, { span }, w)).stderr.split('\n')[0];
  t.regex(msg('map_update_elem', -7), /WARNING: Map full; can't update element\. Try increasing max_map_keys config/);
  t.is(msg('map_delete_elem', -2), "stdin:1:37-48: WARNING: Can't delete map element because it does not exist.");
  t.is(msg('map_lookup_elem', 0), "stdin:1:37-48: WARNING: Can't lookup map element because it does not exist.");
  t.is(msg('map_update_elem', -1), 'stdin:1:37-48: WARNING: strerror');
  t.is(run(text, (f, w) => f.runtimeError({ kind: 'other', message: 'oops' }, { span }, w)).stderr, 'stdin:1:37-48: WARNING: oops\n');
});

test('test_result and benchmark_result: one line each, keyed by the probe name (upstream "bench")', (t) => {
  const pass = run(json, (f, w) => f.testResult!({ names: ['ok', 'bad'], index: 0, passed: [true], durationNs: 1011, output: 'b\nfine\n' }, w));
  t.deepEqual(pass, { stdout: '{"type": "test_result", "data": {"ok": {"duration": 1011, "passed": true, "output": "b\\nfine\\n"}}}\n', stderr: '' });
  const fail = run(json, (f, w) => f.testResult!({ names: ['ok', 'bad'], index: 1, passed: [true, false], durationNs: 14568, output: 'stdin:1:9-20: ERROR: "x"\n' }, w));
  t.is(fail.stdout, '{"type": "test_result", "data": {"bad": {"duration": 14568, "passed": false, "output": "stdin:1:9-20: ERROR: \\"x\\"\\n"}}}\n');
  const bench = run(json, (f, w) => f.benchmarkResult!({ names: ['count'], index: 0, first: true, averageNs: 51, iterations: 20000 }, w));
  t.is(bench.stdout, '{"type": "benchmark_result", "data": {"count": {"average": 51, "iters": 20000}}}\n');
  for (const line of [pass, fail, bench].flatMap((r) => parseLines(r.stdout))) t.is(schemaErrors(line), '', JSON.stringify(line));
  t.is(schemaErrors({ type: 'test_result', data: { a: { duration: 1, passed: 'yes', output: '' } } }) !== '', true, 'passed is a boolean');
});
