// The user-space side of async actions without a kernel: event records built
// by hand, handed to the ActionRunner, printed by the real output formats.
import test from 'ava';
import { TextOutputFormat } from '../../../plugins/output/text/index.ts';
import { JsonOutputFormat } from '../../../plugins/output/json/index.ts';
import { formatPrintf } from '../../../lib/render/index.ts';
import { ActionRunner } from '../../../core/session/actions.ts';
import { WallClock, materializeSnapshot, materializeTimestamps } from '../../../core/session/timestamps.ts';
import type { Action } from '../../../core/manifest/index.ts';
import type { OutputFormat } from '../../../sdk/index.ts';
import { LibbpfRuntime } from '../../../plugins/runtime/libbpf/index.ts';

// The clocks, strftime(3) and errno texts are the real runtime's (libc through koffi; nothing is loaded).
const runtime = new LibbpfRuntime();

const span = { file: 'stdin', line: 1, col: 9, endLine: 1, endCol: 30 };
const sources = new Map([['stdin', 'begin { $x = *(uint8 *)0; }']]);

function runner(output: OutputFormat) {
  const out: string[] = [];
  const err: string[] = [];
  const w = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
  const r = new ActionRunner(output, w, {
    sources,
    maxCatBytes: 100,
    runtime,
    clock: () => new WallClock(runtime),
    format: (f, v) => formatPrintf(f, v as Parameters<typeof formatPrintf>[1]),
  });
  return { r, out, err };
}

function record(size: number, fill: (v: DataView) => void): DataView {
  const v = new DataView(new ArrayBuffer(size));
  fill(v);
  return v;
}

test('helper_error (-k): the failed helper, its errno text and the source line', (t) => {
  const action: Action = { kind: 'helper_error', id: 3, helper: 'probe_read_kernel', span };
  const view = record(16, (v) => v.setBigInt64(8, -14n, true));
  const text = runner(new TextOutputFormat());
  text.r.run(action as Extract<Action, { kind: 'helper_error' }>, view, 0, () => []);
  t.deepEqual(text.err, ['stdin:1:9-30: WARNING: Bad address\nAdditional Info - helper: probe_read_kernel, retcode: -14\nbegin { $x = *(uint8 *)0; }\n        ~~~~~~~~~~~~~~~~~~~\n']);
  const json = runner(new JsonOutputFormat());
  json.r.run(action as Extract<Action, { kind: 'helper_error' }>, view, 0, () => []);
  t.deepEqual(JSON.parse(json.out.join('')), { type: 'helper_error', msg: 'Bad address', helper: 'probe_read_kernel', retcode: -14, filename: 'stdin', line: 1, col: 9 });
});

test('join records are grouped per CPU and printed at the end record', (t) => {
  const { r, out } = runner(new TextOutputFormat());
  const action = { kind: 'join', id: 1, separator: '-', argSize: 8 } as const;
  const arg = (cpu: number, index: number, s: string) =>
    record(24, (v) => {
      v.setUint32(8, cpu, true);
      v.setUint32(12, index, true);
      Buffer.from(s).forEach((b, i) => v.setUint8(16 + i, b));
    });
  r.run(action, arg(0, 0, 'a'), 0, () => []);
  r.run(action, arg(1, 0, 'x'), 0, () => []);
  r.run(action, arg(0, 1, 'b'), 0, () => []);
  r.run(action, arg(0, 0xffffffff, ''), 0, () => []);
  t.deepEqual(out, ['a-b\n']);
  r.finish();
  t.deepEqual(out, ['a-b\n', 'x\n']);
});

test('warnf is silent with --no-warnings; errorf is not', (t) => {
  const out: string[] = [];
  const w = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
  const r = new ActionRunner(new TextOutputFormat(), w, { noWarnings: true, maxCatBytes: 1, runtime, clock: () => new WallClock(runtime), format: (f) => f });
  r.run({ kind: 'logf', id: 1, severity: 'warning', format: 'w', args: [], span }, new DataView(new ArrayBuffer(8)), 0, () => []);
  r.run({ kind: 'logf', id: 2, severity: 'error', format: 'e', args: [], span }, new DataView(new ArrayBuffer(8)), 0, () => []);
  t.deepEqual(out, ['stdin:1:9-30: ERROR: e\n']);
});

test('strftime timestamps become text inside tuples and map snapshots', (t) => {
  const clock = new WallClock(runtime);
  const ts = { kind: 'int' as const, size: 8 as const, signed: false, strftime: '%%|%Y|%f' };
  const boot = 1_500_000n; // 1.5 ms after boot
  const year = new Date(Number((boot + clock.bootToRealtimeNs) / 1_000_000n)).getFullYear();
  const micros = String(((boot + clock.bootToRealtimeNs) % 1_000_000_000n) / 1000n).padStart(6, '0');
  const v = materializeTimestamps([boot, 5n], { kind: 'tuple', size: 16, elements: [{ type: ts, offset: 0 }, { type: { kind: 'int', size: 8, signed: true }, offset: 8 }] }, clock);
  t.deepEqual(v.value, [`%|${year}|${micros}`, 5n]);
  t.is((v.type as { elements: { type: { kind: string } }[] }).elements[0]!.type.kind, 'string');
  const snap = materializeSnapshot(
    {
      info: { name: '@m', cName: 'map_m', bpfType: 'hash', keyType: ts, keySize: 8, value: { kind: 'plain', type: ts }, valueSize: 8, maxEntries: 10 },
      entries: [{ key: boot, value: { kind: 'plain', value: boot } }],
    },
    clock,
  );
  t.deepEqual(snap.entries, [{ key: `%|${year}|${micros}`, value: { kind: 'plain', value: `%|${year}|${micros}` } }]);
  t.is(snap.info.keyType?.kind, 'string');
});
