// `-p PID` filters actions as bpftrace's does: probes whose provider says
// they fire for every process (`firesForAllProcesses`: tracepoints, raw
// tracepoints, kprobes, fentry/fexit) start with `if (pid != PID) { return; }`.
// Applied on the `rewrite` hook, so the rest of the pipeline sees an ordinary
// program.
import type { Container } from 'inversify';
import { Services } from '../sdk/index.ts';
import { ProviderRegistry, splitAttachPoint } from '../core/probes/index.ts';
import type * as A from '../core/syntax/ast.ts';

function pidFilter(pid: number, span: A.NodeBase['span']): A.If {
  const cond: A.Binary = {
    kind: 'Binary',
    span,
    op: '!=',
    left: { kind: 'Identifier', span, name: 'pid' },
    right: { kind: 'Integer', span, value: BigInt(pid), text: String(pid) },
  };
  return { kind: 'If', span, comptime: false, cond, then: { kind: 'Block', span, statements: [{ kind: 'Return', span }] } };
}

export function installPidFilter(container: Container, pid: number): void {
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const firesForAll = (probe: A.Probe) =>
    probe.attachPoints.some((ap) => registry.find(splitAttachPoint(ap.raw)[0] ?? '')?.firesForAllProcesses === true);
  container.get(Services.Hooks).rewrite.tap('pid-filter', (program) => ({
    ...program,
    items: program.items.map((item) =>
      item.kind === 'Probe' && firesForAll(item) ? { ...item, body: { ...item.body, statements: [pidFilter(pid, item.span), ...item.body.statements] } } : item,
    ),
  }));
}
