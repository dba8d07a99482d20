// `--bench`: each bench: probe's program runs repeatedly in the kernel, in
// script order, its output dropped, with bpftrace's schedule: a round of 1
// run, then rounds 1000x, 100x, 10x, 2x as long while a round's total time is
// under 1 µs, 10 µs, 100 µs, 1 ms; the first round of 1 ms or more gives the
// mean time per run. A benchmark whose program returns non-zero is skipped;
// one that calls exit() with another code than 0 or reports an error fails.
import { timings, type TimedRun } from '../../sdk/index.ts';
import type { RunContext } from './context.ts';
import { probesOfRole } from './attach.ts';
import { discardWriter, ErrorCountingFormat } from './capture.ts';
import type { SessionRunState } from './test-run.ts';

/** BPF_PROG_TEST_RUN's repeat is a 32-bit int: rounds never grow past it. */
const MAX_REPEAT = 2 ** 31 - 1;

/** How much longer the next round must be, after one that took `totalNs` in all; 1 when it was long enough. */
export function nextRoundFactor(totalNs: number): number {
  if (totalNs < 1_000) return 1000;
  if (totalNs < 10_000) return 100;
  if (totalNs < 100_000) return 10;
  if (totalNs < 1_000_000) return 2;
  return 1;
}

type Outcome = { kind: 'measured'; run: TimedRun; iterations: number } | { kind: 'skipped' } | { kind: 'failed' };

/** Runs one benchmark's rounds until one is long enough. */
function measure(run: SessionRunState, programName: string, counting: ErrorCountingFormat): Outcome {
  const program = run.obj.program(programName);
  let failed = false;
  for (let iterations = 1; ; ) {
    const restore = run.session.redirect(counting, discardWriter);
    let result: TimedRun;
    try {
      result = program.timedRun(iterations);
      run.events.flush();
    } finally {
      restore();
    }
    const exitCode = run.end.takeExitCode() ?? 0;
    failed ||= exitCode !== 0;
    // Returning non-zero skips the benchmark (as bpftrace: unless exit() gave a code).
    if (!failed && result.retval !== 0) return { kind: 'skipped' };
    const factor = nextRoundFactor(result.durationNs * iterations);
    if (factor > 1 && iterations * factor <= MAX_REPEAT) {
      iterations *= factor;
      continue;
    }
    if (failed || counting.errors > 0) return { kind: 'failed' };
    return { kind: 'measured', run: result, iterations };
  }
}

/** Runs every benchmark; whether none failed. */
export function runBenchmarks(s: RunContext, run: SessionRunState): boolean {
  const benches = probesOfRole(s, 'bench');
  const names = benches.map((p) => String(p.target.label));
  let first = true;
  let ok = true;
  benches.forEach((probe, index) => {
    const counting = new ErrorCountingFormat(s.output);
    const outcome = timings.measure(`bench ${names[index]}`, () => measure(run, probe.programName, counting));
    if (outcome.kind === 'failed') {
      s.writer.err(`ERROR: Benchmark '${names[index]}' failed.\n`);
      ok = false;
    } else if (outcome.kind === 'measured') {
      s.output.benchmarkResult!({ names, index, first, averageNs: outcome.run.durationNs, iterations: outcome.iterations }, s.writer);
      first = false;
    }
  });
  return ok;
}
