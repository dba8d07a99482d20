// The user-space half of the builtins without a kernel: event records built
// by hand, handed to the builtins plugin's action handlers, printed by the
// real output formats; tagged values rendered by its value renderers.
import test from 'ava';
import { TextOutputFormat } from '../../../plugins/output/text/index.ts';
import { JsonOutputFormat } from '../../../plugins/output/json/index.ts';
import { coreActionHandlers } from '../../../plugins/builtins/index.ts';
import type { JoinAction } from '../../../plugins/builtins/join.ts';
import type { LogfAction } from '../../../plugins/builtins/async.ts';
import type { Action, ActionHandlerInstance, HelperErrorAction, IntType, MapInfo, RunSession, ValueType } from '../../../sdk/index.ts';
import { emptyManifest, testSession } from '../../../testing/session.ts';
import { ProgramRun } from '../../../testing/memory-runtime/index.ts';

const span = { file: 'stdin', line: 1, col: 9, endLine: 1, endCol: 30 };
const sources = new Map([['stdin', 'begin { $x = *(uint8 *)0; }']]);

/** The builtins plugin's handler of `kind`, opened on the session. */
function opened<A extends Action>(kind: A['kind'], session: RunSession): ActionHandlerInstance<A> {
  const handler = coreActionHandlers.find((h) => h.kind === kind);
  if (!handler) throw new Error(`no handler of ${kind}`);
  return handler.open(session);
}

function record(size: number, fill: (v: DataView) => void): DataView {
  const v = new DataView(new ArrayBuffer(size));
  fill(v);
  return v;
}

test('helper_error (-k): the failed helper, its errno text and the source line', (t) => {
  const action: HelperErrorAction = { kind: 'helper_error', id: 3, helper: 'probe_read_kernel', span };
  const view = record(16, (v) => v.setBigInt64(8, -14n, true));
  const text = testSession({ output: new TextOutputFormat(), sources });
  opened<HelperErrorAction>('helper_error', text.session).handle(action, { view, offset: 0 });
  t.deepEqual(text.err, ['stdin:1:9-30: WARNING: Bad address\nAdditional Info - helper: probe_read_kernel, retcode: -14\nbegin { $x = *(uint8 *)0; }\n        ~~~~~~~~~~~~~~~~~~~\n']);
  const json = testSession({ output: new JsonOutputFormat(), sources });
  opened<HelperErrorAction>('helper_error', json.session).handle(action, { view, offset: 0 });
  t.deepEqual(JSON.parse(json.out.join('')), { type: 'helper_error', msg: 'Bad address', helper: 'probe_read_kernel', retcode: -14, filename: 'stdin', line: 1, col: 9 });
});

test('join records are grouped per CPU and printed at the end record', (t) => {
  const { session, out } = testSession({ output: new TextOutputFormat() });
  const join = opened<JoinAction>('join', session);
  const action: JoinAction = { kind: 'join', id: 1, separator: '-', argSize: 8 };
  const arg = (cpu: number, index: number, s: string) => ({
    view: record(24, (v) => {
      v.setUint32(8, cpu, true);
      v.setUint32(12, index, true);
      Buffer.from(s).forEach((b, i) => v.setUint8(16 + i, b));
    }),
    offset: 0,
  });
  join.handle(action, arg(0, 0, 'a'));
  join.handle(action, arg(1, 0, 'x'));
  join.handle(action, arg(0, 1, 'b'));
  join.handle(action, arg(0, 0xffffffff, ''));
  t.deepEqual(out, ['a-b\n']);
  join.finish?.();
  t.deepEqual(out, ['a-b\n', 'x\n']);
});

test('warnf is silent with --no-warnings; errorf is not', (t) => {
  const { session, out, err } = testSession({ output: new TextOutputFormat(), noWarnings: true });
  const logf = opened<LogfAction>('logf', session);
  const empty = { view: new DataView(new ArrayBuffer(8)), offset: 0 };
  logf.handle({ kind: 'logf', id: 1, severity: 'warning', format: 'w', args: [], span }, empty);
  logf.handle({ kind: 'logf', id: 2, severity: 'error', format: 'e', args: [], span }, empty);
  t.deepEqual([...out, ...err], ['stdin:1:9-30: ERROR: e\n']);
});

test('strftime timestamps become text inside tuples and map snapshots', (t) => {
  const ts: IntType = { kind: 'int', size: 8, signed: false, render: { kind: 'strftime', format: '%%|%Y|%f' } };
  const info: MapInfo = { name: '@m', cName: 'map_m', bpfType: 'hash', keyType: ts, keySize: 8, value: { kind: 'plain', type: ts }, valueSize: 8, maxEntries: 10 };
  const { session, object } = testSession({ output: new TextOutputFormat(), manifest: { ...emptyManifest, maps: [info] } });
  const boot = 1_500_000n; // 1.5 ms after boot
  const year = new Date(Number((boot + session.bootToRealtimeNs) / 1_000_000n)).getFullYear();
  const micros = String(((boot + session.bootToRealtimeNs) % 1_000_000_000n) / 1000n).padStart(6, '0');
  const v = session.show([boot, 5n], { kind: 'tuple', size: 16, elements: [{ type: ts, offset: 0 }, { type: { kind: 'int', size: 8, signed: true }, offset: 8 }] });
  t.deepEqual(v.value, [`%|${year}|${micros}`, 5n]);
  t.is((v.type as { elements: { type: ValueType }[] }).elements[0]!.type.kind, 'string');
  new ProgramRun(object, 0).set('@m', boot, boot);
  const snap = session.snapshot('@m');
  t.deepEqual(snap.entries, [{ key: `%|${year}|${micros}`, value: { kind: 'plain', value: `%|${year}|${micros}` } }]);
  t.is(snap.info.keyType?.kind, 'string');
});
