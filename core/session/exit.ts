// The exit sequence, in bpftrace's order: stop new events, detach, deliver
// what is left, run end probes and deliver their output, report lost events,
// let handlers print what they hold, print the maps, run the exit hooks.
import { timings, type Attachment, type EventStream, type RuntimeObject, type RuntimeProgram } from '../../sdk/index.ts';
import { detachAll } from './attach.ts';
import type { RunContext } from './context.ts';
import type { EventDispatch } from './dispatch.ts';
import type { Session } from './session.ts';
import { lostEvents } from './maps.ts';
import type { RunEnd } from './run-end.ts';

export interface RunState {
  obj: RuntimeObject;
  events: EventStream;
  attachments: Attachment[];
  endProbes: RuntimeProgram[];
  dispatch: EventDispatch;
  session: Session;
  /** Whether the maps are printed at the end (print_maps_on_exit decides); never after tests or benchmarks. */
  printMaps: boolean;
}

/** Ends the run; returns its exit code (exit()'s, else 0; end probes may still call exit()). */
export async function exitSequence(s: RunContext, run: RunState, end: RunEnd): Promise<number> {
  const { manifest, output, writer: w } = s;
  run.events.stop();
  await timings.measureAsync('detach', () => detachAll(run.attachments));
  run.events.flush();
  run.dispatch.endProbesRun();
  timings.measure('end', () => run.endProbes.forEach((p) => p.testRun()));
  run.events.flush();

  const lost = lostEvents(run.obj, manifest);
  if (lost > 0n) output.lostEvents(Number(lost), w);
  run.dispatch.finish();
  timings.measure('print maps', () => output.mapsAtExit(run.printMaps && s.config.printMapsOnExit ? manifest.maps.map((m) => run.session.snapshotOf(m)) : [], w));
  await s.hooks.exit.promise(end.exitCode ?? 0);
  return end.exitCode ?? 0;
}
