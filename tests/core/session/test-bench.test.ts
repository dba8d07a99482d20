// --test and --bench without a kernel: real scripts compiled by compileScript
// (clang runs), run by the session against the in-memory runtime. The test
// scripts what each test: or bench: program does (its records, its return
// value) and checks the run: which programs run and how often, what passes,
// fails or is skipped, where their output goes, and the exit code.
import test from 'ava';
import { createBpfscript } from '../../../cli/plugins.ts';
import { compileScript, runCompiled, type RunOptions } from '../../../core/session/index.ts';
import { Services, type OutputWriter } from '../../../sdk/index.ts';
import { LibbpfRuntime } from '../../../plugins/runtime/libbpf/index.ts';
import { MemoryRuntime, type ProgramRun } from '../../../testing/memory-runtime/index.ts';

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

async function session(text: string) {
  const container = await createBpfscript();
  const compiled = await compileScript(container, { text, file: 'lib.bt' });
  const runtime = new MemoryRuntime(compiled.manifest, new LibbpfRuntime());
  container.rebind(Services.Runtime).toConstantValue(runtime);
  const writer = new CollectingWriter();
  const run = (opts: Partial<RunOptions> = {}) => runCompiled(container, compiled, { writer, ...opts });
  return { compiled, runtime, writer, run };
}

/** An errorf() record of the script's (its only errorf). */
function errorf(k: ProgramRun, compiled: { manifest: { actions: readonly { kind: string; id: number }[] } }): void {
  k.send(compiled.manifest.actions.find((a) => a.kind === 'logf')! as never);
}

const GREEN = (s: string) => `\x1b[32m${s}\x1b[0m`;
const RED = (s: string) => `\x1b[31m${s}\x1b[0m`;

const library = `
begin { printf("begin\\n"); }
test:adds { printf("adds\\n"); }
test:returns { printf("returned\\n"); return 1; }
test:exits { exit(2); }
test:reports { errorf("bad"); }
test:exits_cleanly { exit(); }
end { printf("end\\n"); }
interval:s:1 { printf("never\\n"); }
`;

test('--test runs each test once, in order, after begin; attaches nothing; prints a failed test\'s output', async (t) => {
  const s = await session(library);
  s.runtime.onRun('begin', (k) => k.printf('begin\n'));
  s.runtime.onRun('test:adds', (k) => k.printf('adds\n'));
  s.runtime.onRun('test:returns', (k) => {
    k.printf('returned\n');
    return 1;
  });
  s.runtime.onRun('test:exits', (k) => k.exit(2));
  s.runtime.onRun('test:reports', (k) => errorf(k, s.compiled));
  s.runtime.onRun('test:exits_cleanly', (k) => k.exit(0));
  s.runtime.onRun('end', (k) => k.printf('end\n'));
  t.is(await s.run({ mode: 'test' }), 1);
  t.deepEqual(s.runtime.calls, ['open', 'load', 'run begin', 'run test:adds x1', 'run test:returns x1', 'run test:exits x1', 'run test:reports x1', 'run test:exits_cleanly x1', 'run end', 'close']);
  t.is(
    s.writer.text('out'),
    [
      'begin\n',
      `${GREEN('[==========]')} Running 5 tests.\n`,
      `${GREEN('[ RUN      ]')} adds\n`,
      `${GREEN('[       OK ]')} adds (1 μs)\n`,
      `${GREEN('[ RUN      ]')} returns\n`,
      'returned\n',
      `${RED('[  FAILED  ]')} returns (1 μs)\n`,
      `${GREEN('[ RUN      ]')} exits\n`,
      `${RED('[  FAILED  ]')} exits (1 μs)\n`,
      `${GREEN('[ RUN      ]')} reports\n`,
      'lib.bt:6:16-29: ERROR: bad\n',
      `${RED('[  FAILED  ]')} reports (1 μs)\n`,
      `${GREEN('[ RUN      ]')} exits_cleanly\n`,
      `${GREEN('[       OK ]')} exits_cleanly (1 μs)\n`,
      `${GREEN('[==========]')} 5 tests ran.\n`,
      `${GREEN('[  PASSED  ]')} 2 tests.\n`,
      `${RED('[  FAILED  ]')} 3 tests, listed below:\n`,
      `${RED('[  FAILED  ]')} returns\n`,
      `${RED('[  FAILED  ]')} exits\n`,
      `${RED('[  FAILED  ]')} reports\n`,
      // end's output, then no maps (never after tests), only bpftrace's blank lines.
      'end\n',
      '\n\n',
    ].join(''),
  );
  // No "Attached N probes" in test mode, and the errorf went into the test's output.
  t.is(s.writer.text('err'), '');
});

test('--test: all passing exits 0; -f json gives one test_result line per test with the text output', async (t) => {
  const s = await session('test:one { printf("one\\n"); } test:two { printf("two\\n"); }');
  s.runtime.onRun('test:one', (k) => k.printf('one\n'));
  s.runtime.onRun('test:two', (k) => k.printf('two\n'));
  s.runtime.runDurationNs = 2500;
  t.is(await s.run({ mode: 'test', format: 'json' }), 0);
  t.is(
    s.writer.text('out'),
    '{"type": "test_result", "data": {"one": {"duration": 2500, "passed": true, "output": "one\\n"}}}\n' +
      '{"type": "test_result", "data": {"two": {"duration": 2500, "passed": true, "output": "two\\n"}}}\n',
  );
});

test('--bench grows each round until one takes 1 ms, skips a benchmark that returns non-zero, fails one that reports an error', async (t) => {
  const s = await session('begin { printf("begin\\n"); } bench:fast { @n = count(); } bench:skipped { return 1; } bench:broken { errorf("no"); } bench:slow { @m = count(); }');
  s.runtime.onRun('begin', (k) => k.printf('begin\n'));
  s.runtime.onRun('bench:fast', (k) => k.printf('begin\n'));
  s.runtime.onRun('bench:skipped', () => 1);
  s.runtime.onRun('bench:broken', (k) => errorf(k, s.compiled));
  s.runtime.runDurationNs = 300;
  t.is(await s.run({ mode: 'bench' }), 1);
  // 300 ns: 1 run (0.3 µs) -> x1000 (300 µs) -> x2 (600 µs) -> x2 (1.2 ms), done.
  const rounds = (name: string) => [1, 1000, 2000, 4000].map((n) => `run ${name} x${n}`);
  t.deepEqual(s.runtime.calls, ['open', 'load', 'run begin', ...rounds('bench:fast'), 'run bench:skipped x1', ...rounds('bench:broken'), ...rounds('bench:slow'), 'close']);
  // begin's output shows; the benchmarks' is dropped; the skipped one has no row, the broken one an ERROR.
  t.is(
    s.writer.text('out'),
    'begin\n' +
      `Benchmark${' '.repeat(32)}Time(ns)${' '.repeat(7)}Iterations\n` +
      `${'-'.repeat(66)}\n` +
      `fast${' '.repeat(37)}300${' '.repeat(12)}4000\n` +
      `slow${' '.repeat(37)}300${' '.repeat(12)}4000\n` +
      '\n\n',
  );
  t.is(s.writer.text('err'), "ERROR: Benchmark 'broken' failed.\n");
});

test('--bench -f json: one benchmark_result line each', async (t) => {
  const s = await session('bench:a { @a = count(); } bench:b { @b = count(); }');
  s.runtime.runDurationNs = 2_000_000;
  t.is(await s.run({ mode: 'bench', format: 'json', quiet: true }), 0);
  t.is(
    s.writer.text('out'),
    '{"type": "benchmark_result", "data": {"a": {"average": 2000000, "iters": 1}}}\n' +
      '{"type": "benchmark_result", "data": {"b": {"average": 2000000, "iters": 1}}}\n',
  );
});

test('a plain run neither runs nor counts tests and benchmarks; a script of only those names the flag', async (t) => {
  const mixed = await session('test:a { } bench:b { } begin { exit(); }');
  t.is(await mixed.run(), 0);
  t.deepEqual(mixed.runtime.calls, ['open', 'load', 'run begin', 'close']);
  t.is(mixed.writer.text('err'), 'Attached 1 probe\n');

  const tests = await session('test:a { }');
  await t.throwsAsync(tests.run(), { message: 'No probes attached; use --test to run test probes.' });
  const benches = await session('bench:a { }');
  await t.throwsAsync(benches.run(), { message: 'No probes attached; use --bench to run benchmark probes.' });
  await t.throwsAsync(benches.run({ mode: 'test' }), { message: 'No probes attached; use --bench to run benchmark probes.' });
  const neither = await session('interval:s:1 { }');
  await t.throwsAsync(neither.run({ mode: 'test' }), { message: 'Attachment failed for all probes.' });
  // Nothing was loaded for any of them.
  t.deepEqual(tests.runtime.calls, []);
});

test('--test and --bench need an output format that can show their results', async (t) => {
  const s = await session('test:a { } bench:b { }');
  await t.throwsAsync(s.run({ mode: 'test', format: 'folded' }), { message: 'output format "folded" cannot show test results' });
  await t.throwsAsync(s.run({ mode: 'bench', format: 'folded' }), { message: 'output format "folded" cannot show benchmark results' });
});

test('exit() in begin is the run\'s exit code; the tests still run, each with its own', async (t) => {
  const s = await session('begin { exit(4); } test:a { } test:b { exit(0); }');
  s.runtime.onRun('begin', (k) => k.exit(4));
  s.runtime.onRun('test:b', (k) => k.exit(0));
  t.is(await s.run({ mode: 'test', format: 'json' }), 4);
  t.deepEqual(s.writer.text('out').split('\n').map((l) => /"passed": (\w+)/.exec(l)?.[1]).filter(Boolean), ['true', 'true']);
});
