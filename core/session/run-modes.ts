// What each run mode runs. A plain run attaches probes and runs self signal
// probes; `--test` runs the test: probes and `--bench` the bench: probes
// instead; begin and end run in every mode. A run with nothing to run stops
// before loading anything, with bpftrace's words (which name the flag when
// the script's probes are tests or benchmarks).
import type { ProbeRole } from '../../sdk/index.ts';
import type { RunContext, RunMode } from './context.ts';
import { probesOfRole } from './attach.ts';

/** The roles whose probes a mode runs (begin and end aside). */
const modeRoles: Record<RunMode, readonly ProbeRole[]> = {
  run: ['attach', 'signal'],
  test: ['test'],
  bench: ['bench'],
};

/** How many probes the run has that it runs or attaches: what `Attached N probes` counts. */
export function runProbeCount(s: Pick<RunContext, 'manifest' | 'registry'>, mode: RunMode): number {
  return (['begin', 'end', ...modeRoles[mode]] as ProbeRole[]).reduce((n, role) => n + probesOfRole(s, role).length, 0);
}

/** Throws when the mode has nothing to run, or when `-f` cannot show its results. */
export function checkRunMode(s: Pick<RunContext, 'manifest' | 'registry' | 'output'>, mode: RunMode): void {
  if (mode === 'test' && !s.output.testResult) throw new Error(`output format "${s.output.name}" cannot show test results`);
  if (mode === 'bench' && !s.output.benchmarkResult) throw new Error(`output format "${s.output.name}" cannot show benchmark results`);
  if (runProbeCount(s, mode) > 0) return;
  if (probesOfRole(s, 'test').length > 0) throw new Error('No probes attached; use --test to run test probes.');
  if (probesOfRole(s, 'bench').length > 0) throw new Error('No probes attached; use --bench to run benchmark probes.');
  throw new Error('Attachment failed for all probes.');
}
