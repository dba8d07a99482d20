// The run half of a session: load the object, run begin probes, attach the
// rest (or, with --test / --bench, run the tests or benchmarks instead),
// carry events to the output format, and on the way out (exit(), -c child
// exit, -p target exit, Ctrl-C, SIGTERM) detach everything, run end probes,
// print maps and report lost events. Each step has its own file; this one
// puts them in order and makes sure the kernel objects go whatever happens.
import type { Container } from 'inversify';
import { copyFileSync } from 'node:fs';
import { timings, type Attachment, type EventStream } from '../../sdk/index.ts';
import type { ProbeInfo } from '../manifest/index.ts';
import type { CompiledScript } from './compile.ts';
import { runContext, type RunOptions } from './context.ts';
import { buildProgramObject, eventRingSize, loadObject, openObject } from './load.ts';
import { EventDispatch } from './dispatch.ts';
import { Session } from './session.ts';
import { attachProbes, detachLeft, driveProbes, programsOfRole } from './attach.ts';
import { RunEnd } from './run-end.ts';
import { printEveryMap } from './maps.ts';
import { exitSequence } from './exit.ts';
import { checkRunMode, runProbeCount } from './run-modes.ts';
import { runTests } from './test-run.ts';
import { runBenchmarks } from './bench-run.ts';

export type { RunOptions } from './context.ts';
export { buildProgramObject } from './load.ts';

export async function runCompiled(container: Container, compiled: CompiledScript, opts: RunOptions): Promise<number> {
  const s = runContext(container, compiled, opts);
  const { manifest, hooks, output, writer: w } = s;
  const mode = opts.mode ?? 'run';
  checkRunMode(s, mode);

  const build = await timings.measureAsync('clang or compile cache', () => buildProgramObject(compiled, s.runtime));
  hooks.compiled.call(build.objectPath);
  if (opts.emitElf) copyFileSync(build.objectPath, opts.emitElf);
  if (opts.verbose) {
    const how = (b: { cached: boolean; clangMs: number }) => (b.cached ? 'compile cache hit' : `clang ${Math.round(b.clangMs)} ms`);
    for (const u of compiled.cUnits) w.err(`C unit ${u.unit.name} (${how(u)})\n`);
    w.err(`BPF object ${build.objectPath} (${how(build)})\n`);
  }

  const obj = timings.measure('open', () => openObject(s, build.objectPath));
  const attachments: Attachment[] = [];
  let events: EventStream | undefined;
  const cleanup = () => {
    events?.stop();
    detachLeft(attachments);
    events?.close();
    obj.close();
  };
  // Last resort: whatever happens, the kernel objects go with the process.
  process.once('exit', cleanup);
  try {
    const ringSize = eventRingSize(manifest, obj);
    timings.measure('load (verifier)', () => loadObject(s, obj));
    hooks.loaded.call(manifest);

    const end = new RunEnd();
    const session = new Session(s, obj, end);
    output.prepare?.(session);
    if (!opts.dryRun) await hooks.running.promise(session);
    const dispatch = new EventDispatch(session, s.handlers, hooks, () => end.exitCode !== undefined || end.interruptedLongAgo, compiled.actionCalls);
    events = s.runtime.events(obj.map(manifest.ringbuf.cName), ringSize, (view, offset) => dispatch.dispatch(view, offset), {
      onError: (e) => end.fail(e),
    });

    // Attach everything but begin/end; `Attached N probes` counts them all, as bpftrace does
    // (tests and benchmarks are not attached: they run instead, in their mode).
    const endProbes = programsOfRole(s, obj, 'end');
    const signalProbes = programsOfRole(s, obj, 'signal');
    // begin runs before any other probe can fire (upstream's order), so its
    // output comes first; a dry run runs nothing.
    if (!opts.dryRun) timings.measure('begin', () => programsOfRole(s, obj, 'begin').forEach((p) => p.testRun()));
    const owners = new Map<Attachment, ProbeInfo>();
    if (mode === 'run') timings.measure('attach', () => attachProbes(s, obj, attachments, owners));
    session.useAttachments(attachments, owners);
    const probeCount = runProbeCount(s, mode);
    hooks.attached.call(probeCount);
    if (!opts.quiet && mode === 'run') output.attached(probeCount, w);
    if (opts.dryRun) return 0;
    opts.onAttached?.();

    events.start();
    // begin's output is printed before the -c command can print anything.
    events.flush();
    w.flush?.();
    let allPassed = true;
    if (mode !== 'run') {
      // Tests or benchmarks run now; then the run is over (the -c command does not run).
      // exit() in begin gives the run's exit code, not the first test's.
      const beginExit = end.takeExitCode();
      const state = { obj, events, session, end };
      allPassed = mode === 'test' ? runTests(s, state) : runBenchmarks(s, state);
      if (beginExit !== undefined) end.exit(beginExit);
      else end.stop();
    } else {
      opts.child?.release();
      // Driven probes (iterators) run to completion now; then the run is over.
      if (driveProbes(attachments)) end.stop();
      // Only begin/end probes (nothing attached, no signal probes, no process
      // to wait for): nothing more can happen, so the run ends now, as upstream's.
      else if (attachments.length === 0 && signalProbes.length === 0 && !opts.child && !opts.targetPid) end.stop();
    }

    await timings.measureAsync('run', () => end.wait({
      stop: opts.stop,
      child: opts.child,
      targetPid: opts.targetPid,
      // self:signal:SIGUSR1 probes run, in script order; a script without any prints every map (bpftrace before 0.22).
      onUsr1: () => {
        if (signalProbes.length === 0) printEveryMap(manifest, output, w, (info) => session.snapshotOf(info));
        for (const p of signalProbes) p.testRun();
      },
    }));
    const code = await exitSequence(s, { obj, events, attachments, endProbes, dispatch, session, printMaps: mode === 'run' }, end);
    return allPassed ? code : 1;
  } finally {
    process.off('exit', cleanup);
    timings.measure('close', () => {
      try {
        cleanup();
      } finally {
        hooks.closed.call();
      }
    });
  }
}
