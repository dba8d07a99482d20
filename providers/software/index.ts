// `software:event[:count]` (`s`): perf software events on every online CPU,
// sampled every `count` events (a default per event, as bpftrace).
import { definePlugin, Services } from '../../sdk/index.ts';
import { counterProvider } from '../shared/perf-events.ts';

export const softwareProvider = counterProvider({
  name: 'software',
  alias: 's',
  perfType: 1, // PERF_TYPE_SOFTWARE
  example: 'software:page-faults:100',
  events: [
    { names: ['cpu-clock', 'cpu'], config: 0, period: 1_000_000 },
    { names: ['task-clock'], config: 1, period: 1_000_000 },
    { names: ['page-faults', 'faults'], config: 2, period: 100 },
    { names: ['context-switches', 'cs'], config: 3, period: 1_000 },
    { names: ['cpu-migrations'], config: 4, period: 1 },
    { names: ['minor-faults'], config: 5, period: 100 },
    { names: ['major-faults'], config: 6, period: 1 },
    { names: ['alignment-faults'], config: 7, period: 1 },
    { names: ['emulation-faults'], config: 8, period: 1 },
    { names: ['dummy'], config: 9, period: 1 },
    { names: ['bpf-output'], config: 10, period: 1 },
  ],
});

export const softwarePlugin = definePlugin('software', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(softwareProvider);
});
