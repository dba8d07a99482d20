// Nothing left to attach once every attach point is expanded: bpftrace says
// `No probes to attach` on stdout (not as an ERROR) and exits with 1.
import type { Diagnostic } from '../diagnostics/index.ts';

export class NoProbesError extends Error {
  /** The expansion's warnings (`... Skipping.`), shown before the message. */
  readonly warnings: Diagnostic[];
  constructor(warnings: Diagnostic[] = []) {
    super('No probes to attach');
    this.name = 'NoProbesError';
    this.warnings = warnings;
  }
}
