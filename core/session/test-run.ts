// `--test`: each test: probe's program runs once, in script order, its output
// captured as text. A test passes when its program returns 0, exit() was not
// called with another code and it reported no error (errorf(), run-time
// errors); its output is shown when it fails. exit() ends the test, not the run.
import { timings, type EventStream, type RuntimeObject } from '../../sdk/index.ts';
import type { RunContext } from './context.ts';
import type { RunEnd } from './run-end.ts';
import type { Session } from './session.ts';
import { probesOfRole } from './attach.ts';
import { CaptureWriter, ErrorCountingFormat } from './capture.ts';

/** What the test and benchmark runs work with. */
export interface SessionRunState {
  obj: RuntimeObject;
  events: EventStream;
  session: Session;
  end: RunEnd;
}

/** Runs every test; whether they all passed. */
export function runTests(s: RunContext, run: SessionRunState): boolean {
  const tests = probesOfRole(s, 'test');
  const names = tests.map((p) => String(p.target.label));
  const passed: boolean[] = [];
  if (s.captureFormat !== s.output) s.captureFormat.prepare?.(run.session);
  tests.forEach((probe, index) => {
    const capture = new CaptureWriter();
    const counting = new ErrorCountingFormat(s.captureFormat);
    const restore = run.session.redirect(counting, capture);
    let result;
    try {
      result = timings.measure(`test ${names[index]}`, () => run.obj.program(probe.programName).timedRun(1));
      run.events.flush();
    } finally {
      restore();
    }
    const exitCode = run.end.takeExitCode() ?? 0;
    passed.push(result.retval === 0 && exitCode === 0 && counting.errors === 0);
    s.output.testResult!({ names, index, passed: [...passed], durationNs: result.durationNs, output: capture.text }, s.writer);
  });
  return passed.every(Boolean);
}
