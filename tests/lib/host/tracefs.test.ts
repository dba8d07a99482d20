// The tracefs reader built on a folder of our own: without an `events` folder
// it says tracefs is not mounted and how to mount it, and the tracepoint
// provider reports that at the probe instead of "No probes to attach".
import test from 'ava';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TracefsReader, findTracefsRoot } from '../../../lib/host/index.ts';
import { tracepointProvider } from '../../../providers/tracepoint/index.ts';
import { rawTracepointProvider } from '../../../providers/rawtracepoint/index.ts';
import type { ProviderEnv, Span } from '../../../sdk/index.ts';

const span: Span = { file: 'stdin', line: 1, col: 1, endLine: 1, endCol: 30 };

/** A provider environment over `tracefs`; `fail` throws what it was given. */
function envOf(tracefs: TracefsReader): ProviderEnv {
  return { tracefs, fail: (message: string, at?: Span) => { throw Object.assign(new Error(message), { at }); } } as unknown as ProviderEnv;
}

test('BPFSCRIPT_TRACEFS names the root; otherwise the first candidate with events/', (t) => {
  t.is(findTracefsRoot({ BPFSCRIPT_TRACEFS: '/x/tracing' }), '/x/tracing');
  t.true(['/sys/kernel/tracing', '/sys/kernel/debug/tracing'].includes(findTracefsRoot({})));
});

test('a root without events/: unavailable() says tracefs is not mounted and how to mount it; tracepoints fail at the probe', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bpfs-tracefs-'));
  const reader = new TracefsReader(root);
  const why = `tracefs is not mounted (${root}/events does not exist): mount it with 'mount -t tracefs nodev ${root}'`;
  t.is(reader.unavailable(), why);
  const req = { provider: 'tracepoint', parts: ['sched', 'sched_switch'], raw: 'tracepoint:sched:sched_switch', span };
  const e = t.throws(() => tracepointProvider.expand(req as never, envOf(reader)));
  t.is(e!.message, why);
  t.is((e as Error & { at: Span }).at, span);
  t.throws(() => tracepointProvider.list!('*', envOf(reader)), { message: why });
  t.throws(() => rawTracepointProvider.expand({ ...req, parts: ['sched_sw*'] } as never, envOf(reader)), { message: why });
  t.throws(() => rawTracepointProvider.list!('*', envOf(reader)), { message: why });
  t.deepEqual(rawTracepointProvider.expand({ ...req, parts: ['sched_switch'] } as never, envOf(reader)).map((p) => p.name), ['rawtracepoint:sched_switch'], 'a plain raw tracepoint needs no tracefs');
});

test('a root with events/ lists and reads its tracepoints', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bpfs-tracefs-'));
  mkdirSync(join(root, 'events/sched/sched_switch'), { recursive: true });
  writeFileSync(join(root, 'events/sched/sched_switch/format'), 'name: sched_switch\nID: 7\nformat:\n\tfield:int prev_pid;\toffset:8;\tsize:4;\tsigned:1;\n');
  const reader = new TracefsReader(root);
  t.is(reader.unavailable(), undefined);
  t.deepEqual(tracepointProvider.list!('sched:*', envOf(reader)), ['tracepoint:sched:sched_switch']);
  t.like(reader.format('sched', 'sched_switch'), { id: 7, fields: [{ name: 'prev_pid', cType: 'int', offset: 8 }] });
});

test('a tracepoint named without wildcards is found by its folder; other names and paths find nothing', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bpfs-tracefs-'));
  mkdirSync(join(root, 'events/sched/sched_switch'), { recursive: true });
  writeFileSync(join(root, 'events/sched/enable'), '0\n');
  mkdirSync(join(root, 'events/x'), { recursive: true });
  const reader = new TracefsReader(root);
  t.deepEqual(reader.listTracepoints('sched', 'sched_switch'), [{ category: 'sched', event: 'sched_switch' }]);
  t.deepEqual(reader.listTracepoints('sched', 'sched_wakeup'), []);
  t.deepEqual(reader.listTracepoints('sched', 'enable'), [], 'a file is no tracepoint');
  t.deepEqual(reader.listTracepoints('..', 'events'), [], 'not a path out of events/');
  t.deepEqual(reader.listTracepoints('sched/..', 'x'), []);
  t.deepEqual(reader.listTracepoints('sched', 'sched_sw*'), [{ category: 'sched', event: 'sched_switch' }]);
});
