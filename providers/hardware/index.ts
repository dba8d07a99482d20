// `hardware:event[:count]` (`h`): CPU performance counters (PMU) on every
// online CPU, sampled every `count` events. No wildcards, as upstream.
import { definePlugin, Services } from '../../sdk/index.ts';
import { counterProvider } from '../shared/perf-events.ts';

const period = 1_000_000;

export const hardwareProvider = counterProvider({
  name: 'hardware',
  alias: 'h',
  perfType: 0, // PERF_TYPE_HARDWARE
  example: 'hardware:cache-misses:1000000',
  events: [
    { names: ['cpu-cycles', 'cycles'], config: 0, period },
    { names: ['instructions'], config: 1, period },
    { names: ['cache-references'], config: 2, period },
    { names: ['cache-misses'], config: 3, period },
    { names: ['branch-instructions', 'branches'], config: 4, period },
    { names: ['branch-misses'], config: 5, period },
    { names: ['bus-cycles'], config: 6, period },
    { names: ['frontend-stalls'], config: 7, period },
    { names: ['backend-stalls'], config: 8, period },
    { names: ['ref-cycles'], config: 9, period },
  ],
  explainFailure({ op, errno }) {
    if (op === 'attach' && (errno === 'ENOENT' || errno === 'EOPNOTSUPP' || errno === 'ENODEV')) {
      return 'this machine exposes no such hardware counter (no PMU, as in most virtual machines): try software:cpu-clock or profile instead';
    }
    return undefined;
  },
});

export const hardwarePlugin = definePlugin('hardware', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(hardwareProvider);
});
