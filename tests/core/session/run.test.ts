// runCompiled without a kernel: real scripts compiled by compileScript (clang
// runs), run by the session against the in-memory runtime swapped into the
// container. The test scripts what each probe's program does (records for the
// Manifest's actions, map entries in its layouts) and checks what the session
// makes of it: order, output, maps at exit, exit codes, failures.
import test from 'ava';
import { createBpfscript } from '../../../cli/plugins.ts';
import { compileScript, runCompiled, type RunOptions } from '../../../core/session/index.ts';
import { CompileError, RuntimeError, Services, definePlugin, types, type Action, type ActionHandler, type BpfscriptPlugin, type Builtin, type OutputWriter, type ProbeProvider, type ValueRenderer } from '../../../sdk/index.ts';
import { LibbpfRuntime } from '../../../plugins/runtime/libbpf/index.ts';
import { MemoryRuntime } from '../../../testing/memory-runtime/index.ts';
import { fixtureProgram } from '../../helpers/run.ts';

/** Collects what the session writes, both streams in one ordered list. */
class CollectingWriter implements OutputWriter {
  readonly log: [stream: 'out' | 'err', text: string][] = [];
  out(text: string): void {
    this.log.push(['out', text]);
  }
  err(text: string): void {
    this.log.push(['err', text]);
  }
  text(stream: 'out' | 'err'): string {
    return this.log.filter(([s]) => s === stream).map(([, t]) => t).join('');
  }
}

/** A script compiled in a container whose runtime is a MemoryRuntime (the built-in plugins, then `plugins`). */
async function session(text: string, plugins: readonly BpfscriptPlugin[] = []) {
  const container = await createBpfscript({ plugins });
  const compiled = await compileScript(container, { text, file: 'stdin' });
  // Clocks, strftime and errno texts come from libc; nothing is loaded into a kernel.
  const runtime = new MemoryRuntime(compiled.manifest, new LibbpfRuntime());
  container.rebind(Services.Runtime).toConstantValue(runtime);
  const writer = new CollectingWriter();
  const run = (opts: Partial<RunOptions> = {}) => runCompiled(container, compiled, { writer, ...opts });
  return { container, compiled, runtime, writer, run, hooks: container.get(Services.Hooks) };
}

/** A stop signal already given: the run ends as soon as it is running (as Ctrl-C right after attaching). */
function stopped(): AbortSignal {
  const c = new AbortController();
  c.abort();
  return c.signal;
}

test('begin runs before attaching, end after detaching; their printf output arrives', async (t) => {
  const s = await session('begin { printf("hello %d %s\\n", 42, "x"); } interval:s:1 { printf("tick\\n"); } end { printf("bye\\n"); }');
  s.runtime.onRun('begin', (k) => k.printf('hello %d %s\n', 42n, 'x'));
  s.runtime.onRun('end', (k) => k.printf('bye\n'));
  t.is(await s.run({ stop: stopped() }), 0);
  t.deepEqual(s.writer.log, [
    ['err', 'Attached 3 probes\n'],
    ['out', 'hello 42 x\n'],
    ['out', 'bye\n'],
    // Maps at exit: none, after bpftrace's blank lines.
    ['out', '\n\n'],
  ]);
  t.deepEqual(s.runtime.calls, [
    'open',
    'load',
    'run begin',
    'perf_event_open type 1 cpu 0: fd 100',
    'attach interval:s:1 (perf_event fd 100)',
    'detach interval:s:1',
    'close fd 100',
    'run end',
    'close',
  ]);
  // The run-time settings reached .rodata: no child (cpid 0), the CPU count of the runtime.
  const rodata = Buffer.from(s.runtime.object!.rodata!);
  const setting = (name: string) => rodata.readBigUInt64LE(s.compiled.manifest.settings.find((x) => x.name === name)!.offset);
  t.is(setting('cpid'), 0n);
  t.is(setting('ncpus'), 2n);
});

test('records of an attached probe are printed while the run goes on', async (t) => {
  const s = await session('interval:s:1 { printf("tick %d\\n", nsecs); } end { printf("bye\\n"); }');
  let n = 0;
  s.runtime.onRun('interval:s:1', (k) => k.printf('tick %d\n', BigInt(++n)));
  s.runtime.onRun('end', (k) => k.printf('bye\n'));
  const stop = new AbortController();
  // Once attached, the probe fires twice; after its second record is printed, Ctrl-C.
  s.hooks.attached.tap('test', () => {
    setImmediate(() => {
      s.runtime.fire('interval:s:1');
      s.runtime.fire('interval:s:1', 1);
    });
  });
  let records = 0;
  s.hooks.event.tap('test', () => {
    if (++records === 2) setImmediate(() => stop.abort());
  });
  t.is(await s.run({ stop: stop.signal, quiet: true }), 0);
  t.deepEqual(s.writer.log, [
    ['out', 'tick 1\n'],
    ['out', 'tick 2\n'],
    ['out', 'bye\n'],
    ['out', '\n\n'],
  ]);
});

test('maps are printed at exit: counts merged across CPUs, histograms, keyed maps', async (t) => {
  const s = await session('begin { @c = count(); @m[1, "a"] = 2; } interval:s:1 { @c = count(); @h = hist(3); exit(); }');
  s.runtime.onRun('begin', (k) => {
    k.add('@c', undefined, 1n);
    k.set('@m', [1n, 'a'], 2n);
  });
  s.runtime.onRun('interval:s:1', (k) => {
    k.add('@c', undefined, 2n);
    // hist(3): log2 bucket 3 is [2, 4).
    k.addToBucket('@h', undefined, 3, 2n);
    k.exit(0);
  });
  s.hooks.attached.tap('test', () => setImmediate(() => s.runtime.fire('interval:s:1', 1)));
  t.is(await s.run(), 0);
  t.is(s.writer.text('err'), 'Attached 2 probes\n');
  t.is(
    s.writer.text('out'),
    '\n\n@c: 3\n@h:\n[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n\n@m[1, a]: 2\n',
  );
});

test('exit(3) in begin ends the run with exit code 3, without waiting for a signal', async (t) => {
  const s = await session('begin { exit(3); } interval:s:1 { printf("never\\n"); } end { printf("end %d\\n", 1); }');
  s.runtime.onRun('begin', (k) => k.exit(3));
  s.runtime.onRun('end', (k) => k.printf('end %d\n', 1n));
  const codes: number[] = [];
  s.hooks.exit.tapPromise('test', async (code) => void codes.push(code));
  t.is(await s.run(), 3);
  t.deepEqual(codes, [3]);
  t.deepEqual(s.writer.log, [
    ['err', 'Attached 3 probes\n'],
    ['out', 'end 1\n'],
    ['out', '\n\n'],
  ]);
});

test('a load failure reaches the caller as a RuntimeError with the provider\'s HINT; the object is closed', async (t) => {
  const s = await session('fentry:vfs_read { @x = count(); }');
  const message = "failed to load BPF object 'bpfscript': Operation not permitted (EPERM)";
  s.runtime.failLoad(new RuntimeError(message, { op: 'bpf_object__load', errno: 1, code: 'EPERM' }));
  const e = await t.throwsAsync(s.run(), { instanceOf: RuntimeError });
  t.is(
    e!.message,
    `${message}\nHINT: fentry programs run on BPF trampolines, which this kernel refuses (function tracing is blocked or unsupported): use tracepoints or raw tracepoints instead`,
  );
  t.is((e as RuntimeError).op, 'bpf_object__load');
  t.deepEqual(s.runtime.calls, ['open', 'load', 'close']);
  t.deepEqual(s.writer.log, []);
});

test('a load failure no provider explains keeps its message', async (t) => {
  const s = await session('interval:s:1 { @x = count(); }');
  const message = "failed to load BPF object 'bpfscript': Invalid argument (EINVAL)";
  s.runtime.failLoad(new RuntimeError(message, { op: 'bpf_object__load', errno: 22, code: 'EINVAL' }));
  const e = await t.throwsAsync(s.run(), { instanceOf: RuntimeError });
  t.is(e!.message, message);
});

const noCounter = () => new RuntimeError("cannot attach program 'bs_probe_0' to perf_event:fd100: No such file or directory (ENOENT)", { op: 'bpf_program__attach_perf_event', errno: 2, code: 'ENOENT' });

test('missing_probes=warn: a probe that cannot attach is a warning with its HINT, and the run goes on', async (t) => {
  const s = await session('config = { missing_probes = warn } hardware:cache-misses:1000 { @h = count(); } begin { @b = 1; exit(); }');
  s.runtime.onRun('begin', (k) => {
    k.set('@b', undefined, 1n);
    k.exit(0);
  });
  s.runtime.failAttach('hardware:cache-misses:1000', noCounter());
  t.is(await s.run(), 0);
  t.deepEqual(s.writer.log, [
    ['err', `WARNING: ${noCounter().message}\nHINT: this machine exposes no such hardware counter (no PMU, as in most virtual machines): try software:cpu-clock or profile instead\nWARNING: Unable to attach probe: hardware:cache-misses:1000. Skipping.\n`],
    ['err', 'Attached 2 probes\n'],
    ['out', '\n\n@b: 1\n'],
  ]);
});

test('missing_probes=error (the default): the attach failure ends the run, with its HINT', async (t) => {
  const s = await session('hardware:cache-misses:1000 { @h = count(); } begin { @b = 1; exit(); }');
  s.runtime.failAttach('hardware:cache-misses:1000', noCounter());
  const e = await t.throwsAsync(s.run(), { instanceOf: RuntimeError });
  t.regex(e!.message, /\(ENOENT\)\nHINT: this machine exposes no such hardware counter/);
  t.regex(e!.message, /\nERROR: Unable to attach probe: hardware:cache-misses:1000\. If this is expected, set the 'missing_probes' config variable to 'warn'\.$/);
  t.is(s.runtime.calls.at(-1), 'close');
});

/** A builtin whose C half sends one record of the action kind `kind` holding `value` (a u64 at offset 8). */
function eventBuiltin(name: string, kind: string): Builtin {
  return {
    name,
    statementOnly: true,
    check(args, tc, span) {
      if (args.length !== 1) tc.fail(`${name}() takes one argument`, span);
      return types.noneType;
    },
    emit(args, ec) {
      const id = ec.action({ kind, arg: { type: types.uint64, offset: 8 } });
      return ec.event(id, [{ type: types.uint64, c: `((__u64)(${ec.expr(args[0] as never)}))` }]).c;
    },
  };
}

interface MyEvent extends Action {
  kind: 'my_event';
  arg: { type: typeof types.uint64; offset: number };
}

test('a third-party builtin sends its own event kind and its plugin\'s handler and renderer print it', async (t) => {
  const seen: string[] = [];
  const handler: ActionHandler<MyEvent> = {
    kind: 'my_event',
    open(session) {
      let count = 0;
      return {
        handle(action, record) {
          count++;
          session.writer.out(`my_event #${count}: ${session.value(record, action.arg).value}\n`);
        },
        finish: () => seen.push(`finish after ${count}`),
      };
    },
  };
  // loud(n): a value tagged with the plugin's own render tag, shown as `n!!!` wherever it is printed.
  const loud: Builtin = {
    name: 'loud',
    check: () => ({ ...types.int64, render: { kind: 'loud', marks: 3 } }),
    emit: (args, ec) => `((__s64)(${ec.expr(args[0] as never)}))`,
  };
  const renderer: ValueRenderer = {
    kind: 'loud',
    open: () => (value, tag) => ({ value: `${value}${'!'.repeat(Number(tag.marks))}`, type: types.stringType(32) }),
  };
  const plugin = definePlugin('my-events', ({ bind }) => {
    bind(Services.Builtin).toConstantValue(eventBuiltin('my_event', 'my_event'));
    bind(Services.Builtin).toConstantValue(loud);
    bind(Services.ActionHandler).toConstantValue(handler);
    bind(Services.ValueRenderer).toConstantValue(renderer);
  });
  const s = await session('begin { my_event(7); my_event(8); print(loud(5)); @[loud(2)] = count(); exit(); }', [plugin]);
  s.runtime.onRun('begin', (k) => {
    const event = s.runtime.manifest.actions.find((a) => a.kind === 'my_event')!;
    k.send(event, [7n]);
    k.send(event, [8n]);
    k.send(s.runtime.manifest.actions.find((a) => a.kind === 'print_value')!, [5n]);
    k.add('@', 2n, 1n);
    k.exit(0);
  });
  t.is(await s.run({ quiet: true }), 0);
  t.is(s.writer.text('out'), 'my_event #1: 7\nmy_event #2: 8\n5!!!\n\n\n@[2!!!]: 1\n');
  t.deepEqual(seen, ['finish after 2']);
});

test('a third-party handler or provider that throws at run time: a CompileError naming the plugin, at the call or the attach point', async (t) => {
  const handler: ActionHandler = { kind: 'broken_event', open: () => ({ handle() { throw new TypeError('bad record'); } }) };
  const flaky: ProbeProvider = {
    name: 'flaky',
    aliases: [],
    expand: (r) => [{ name: `flaky:${r.parts.join(':')}`, provider: 'flaky', section: 'perf_event', target: {} }],
    attach() {
      throw new Error('no device');
    },
  };
  const plugin = definePlugin('broken', ({ bind }) => {
    bind(Services.Builtin).toConstantValue(eventBuiltin('broken', 'broken_event'));
    bind(Services.ActionHandler).toConstantValue(handler);
    bind(Services.ProbeProvider).toConstantValue(flaky);
  });
  const s = await session('begin {\n  broken(1);\n  exit();\n}', [plugin]);
  s.runtime.onRun('begin', (k) => k.send(s.runtime.manifest.actions.find((a) => a.kind === 'broken_event')!, [1n]));
  const e = await t.throwsAsync(s.run({ quiet: true }), { instanceOf: CompileError });
  t.like(e!.diagnostics[0], { severity: 'ERROR', message: 'action handler "broken_event" of plugin "broken" failed in handle: TypeError: bad record', span: { line: 2, col: 3 } });
  t.is(s.runtime.calls.at(-1), 'close');

  const f = await session('begin { }\n  flaky:x { }', [plugin]);
  const a = await t.throwsAsync(f.run({ quiet: true }), { instanceOf: CompileError });
  t.like(a!.diagnostics[0], { severity: 'ERROR', message: 'provider "flaky" of plugin "broken" failed in attach of flaky:x: no device', span: { line: 2, col: 3 } });
  t.is(f.runtime.calls.at(-1), 'close');
});

test('an action kind no plugin handles stops the session before anything is opened', async (t) => {
  const plugin = definePlugin('orphans', ({ bind }) => {
    bind(Services.Builtin).toConstantValue(eventBuiltin('orphan', 'orphan_event'));
  });
  const s = await session('begin { orphan(1); }', [plugin]);
  await t.throwsAsync(s.run(), { message: 'no plugin handles action kind "orphan_event"' });
  t.deepEqual(s.runtime.calls, []);
  t.deepEqual(s.writer.log, []);
});

test('probes are attached so that each kind runs in script order: in order, then the kinds the kernel runs last-attached-first in reverse', async (t) => {
  const prog = fixtureProgram('uprobe-target');
  const s = await session(`uprobe:${prog}:main { } tracepoint:sched:sched_switch { } uprobe:${prog}:bs_uprobe_target { } tracepoint:sched:sched_wakeup { }`);
  t.is(await s.run({ stop: stopped() }), 0);
  t.deepEqual(s.runtime.calls.filter((c) => c.startsWith('attach ')).map((c) => c.replace(/ \(.*$/, '')), [
    'attach tracepoint:sched:sched_switch',
    'attach tracepoint:sched:sched_wakeup',
    `attach uprobe:${prog}:bs_uprobe_target`,
    `attach uprobe:${prog}:main`,
  ]);
});

test('running hands the taps the session before begin runs (its maps readable); closed comes after exit', async (t) => {
  const s = await session('begin { @b = 5; } interval:s:1 { exit(); }');
  s.runtime.onRun('begin', (k) => k.set('@b', undefined, 7n));
  const order: string[] = [];
  s.hooks.running.tapPromise('test', async (session) => {
    order.push(`running: ${session.snapshot('@b').entries.length} entries, ${s.runtime.calls.includes('run begin') ? 'after' : 'before'} begin`);
  });
  s.hooks.exit.tapPromise('test', async () => void order.push('exit'));
  s.hooks.closed.tap('test', () => void order.push('closed'));
  t.is(await s.run({ stop: stopped() }), 0);
  t.deepEqual(order, ['running: 0 entries, before begin', 'exit', 'closed']);
});

test('a running tap that throws ends the run before anything is attached; closed still comes', async (t) => {
  const s = await session('begin { @b = 5; } interval:s:1 { exit(); }');
  let closed = 0;
  s.hooks.running.tapPromise('test', async () => {
    throw new Error('cannot serve metrics on 127.0.0.1:9464: EADDRINUSE');
  });
  s.hooks.closed.tap('test', () => void closed++);
  await t.throwsAsync(s.run(), { message: 'cannot serve metrics on 127.0.0.1:9464: EADDRINUSE' });
  t.is(closed, 1);
  t.false(s.runtime.calls.some((c) => c.startsWith('attach') || c.startsWith('run')));
  t.is(s.runtime.calls.at(-1), 'close');
});

test('a dry run does not call running; a failed load still calls closed', async (t) => {
  const s = await session('interval:s:1 { @x = count(); }');
  const seen: string[] = [];
  s.hooks.running.tapPromise('test', async () => void seen.push('running'));
  s.hooks.closed.tap('test', () => void seen.push('closed'));
  t.is(await s.run({ dryRun: true }), 0);
  t.deepEqual(seen, ['closed']);
  const failing = await session('interval:s:1 { @x = count(); }');
  let closed = 0;
  failing.hooks.closed.tap('test', () => void closed++);
  failing.runtime.failLoad(new RuntimeError('no', { op: 'bpf_object__load', errno: 1, code: 'EPERM' }));
  await t.throwsAsync(failing.run(), { instanceOf: RuntimeError });
  t.is(closed, 1);
});
