// Nothing left to attach once every attach point is expanded: bpftrace says
// `No probes to attach` on stdout (not as an ERROR) and exits with 1. Where
// no warning has already pointed at the attach points that matched nothing
// (missing_probes = ignore, or a program without probes), a located hint
// says where to look: the probe list, or the whole program.
import type { Diagnostic, Span } from '../diagnostics/index.ts';
import type { Probe, Program } from '../syntax/ast.ts';

export class NoProbesError extends Error {
  /** The expansion's warnings (`... Skipping.`), then the hint, shown before the message. */
  readonly warnings: Diagnostic[];
  constructor(warnings: Diagnostic[] = []) {
    super('No probes to attach');
    this.name = 'NoProbesError';
    this.warnings = warnings;
  }
}

/** The span from a program's first attach point to its last (the program when it has no probe). */
function probeListSpan(program: Program, probes: Probe[]): Span {
  const first = probes[0]?.attachPoints[0]?.span;
  const last = probes[probes.length - 1]?.attachPoints.at(-1)?.span;
  if (!first || !last) return program.span;
  return { file: first.file, line: first.line, col: first.col, endLine: last.endLine, endCol: last.endCol };
}

/** The error for a program whose attach points all matched nothing; `warnings` are the expansion's. */
export function noProbesError(program: Program, warnings: Diagnostic[], config: { missingProbes: string; probeFilter?: string }): NoProbesError {
  if (warnings.some((d) => d.span)) return new NoProbesError(warnings);
  const probes = program.items.filter((i): i is Probe => i.kind === 'Probe');
  const message =
    probes.length === 0
      ? 'the program has no probes'
      : config.probeFilter !== undefined
        ? `--probe-filter '${config.probeFilter}' matched none of these probes`
        : `no attach point matched a probe (missing_probes = ${config.missingProbes} leaves out those that match none)`;
  return new NoProbesError([...warnings, { severity: 'HINT', message, span: probeListSpan(program, probes) }]);
}
