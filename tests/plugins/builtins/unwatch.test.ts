// unwatch(addr) without a kernel (hardware watchpoints do not fire on the test
// VM): the compiled script runs against the in-memory runtime, the watchpoint
// probe is fired by hand, and its unwatch record makes the session detach the
// watchpoints on that address, and only those.
import test from 'ava';
import { createBpfscript } from '../../../cli/plugins.ts';
import { compileScript, runCompiled } from '../../../core/session/index.ts';
import { Services, type OutputWriter } from '../../../sdk/index.ts';
import { LibbpfRuntime } from '../../../plugins/runtime/libbpf/index.ts';
import { MemoryRuntime } from '../../../testing/memory-runtime/index.ts';

const writer: OutputWriter = { out: () => {}, err: () => {} };

test('unwatch() detaches the watchpoints on its address when its event arrives', async (t) => {
  const container = await createBpfscript();
  const text = 'watchpoint:0x1000:8:w { @hits = count(); unwatch(0x1000); } watchpoint:0x2000:4:r { @other = count(); }';
  const compiled = await compileScript(container, { text, file: 'stdin' });
  const unwatch = compiled.manifest.actions.find((a) => a.kind === 'unwatch')!;
  t.deepEqual(unwatch, { id: unwatch.id, kind: 'unwatch', arg: { type: { kind: 'int', size: 8, signed: false }, offset: 8 } });
  const runtime = new MemoryRuntime(compiled.manifest, new LibbpfRuntime());
  container.rebind(Services.Runtime).toConstantValue(runtime);
  runtime.onRun('watchpoint:0x1000:8:w', (k) => k.send(unwatch, [0x1000n]));
  const stop = new AbortController();
  container.get(Services.Hooks).attached.tap('test', () => setImmediate(() => runtime.fire('watchpoint:0x1000:8:w')));
  // What was detached once the unwatch record was handled, while the run still goes on.
  let detachedMeanwhile: string[] = [];
  container.get(Services.Hooks).event.tap('test', () => {
    setImmediate(() => {
      detachedMeanwhile = runtime.calls.filter((c) => c.startsWith('detach'));
      stop.abort();
    });
  });
  t.is(await runCompiled(container, compiled, { writer, quiet: true, targetPid: 4242, stop: stop.signal }), 0);
  t.deepEqual(detachedMeanwhile, ['detach watchpoint:0x1000:8:w']);
  // At the end only the other one is left to detach: none is detached twice.
  t.deepEqual(runtime.calls.filter((c) => c.startsWith('detach')), ['detach watchpoint:0x1000:8:w', 'detach watchpoint:0x2000:4:r']);
});

test('unwatch() takes an integer or pointer address', async (t) => {
  const container = await createBpfscript();
  const err = await t.throwsAsync(compileScript(container, { text: 'watchpoint:0x1000:8:w { unwatch("x"); }', file: 'stdin' }));
  t.regex(err!.message, /unwatch\(\) only supports integer arguments \(string\[2\] provided\)/);
});
