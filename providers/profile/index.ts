// `profile:hz:99`, `profile:s:1`, `profile:ms:10`, `profile:us:N`,
// `profile:1s` / `profile:N` (ns): a CPU-clock perf event on every online CPU.
import { definePlugin, Services, type ProbeProvider } from '../../sdk/index.ts';
import { attachOnEveryCpu } from '../shared/perf-events.ts';
import { contextPointer } from '../shared/context-pointer.ts';
import { cpuClockEvent, expandTimedProbe, listedTimedProbe, listTimedUnits } from '../shared/cpu-clock.ts';

export const profileProvider: ProbeProvider = {
  name: 'profile',
  aliases: ['p'],
  expand(req, env) {
    return expandTimedProbe('profile', req, env);
  },
  list(pattern) {
    return listTimedUnits('profile', pattern);
  },
  listedName: listedTimedProbe,
  contextValue(id, _probe, env) {
    return contextPointer(id, undefined, env);
  },
  attach(probe, env) {
    return attachOnEveryCpu(env, cpuClockEvent(probe));
  },
};

export const profilePlugin = definePlugin('profile', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(profileProvider);
});
