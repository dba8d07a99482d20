// `interval:s:1`, `interval:ms:100`, `interval:us:N`, `interval:hz:N`,
// `interval:1s` / `interval:N` (ns): a CPU-clock perf event on one CPU.
import { definePlugin, Services, type ProbeProvider } from '../../sdk/index.ts';
import { contextPointer } from '../shared/context-pointer.ts';
import { cpuClockEvent, expandTimedProbe, listedTimedProbe, listTimedUnits } from '../shared/cpu-clock.ts';

export const intervalProvider: ProbeProvider = {
  name: 'interval',
  aliases: ['i'],
  expand(req, env) {
    return expandTimedProbe('interval', req, env);
  },
  list(pattern) {
    return listTimedUnits('interval', pattern);
  },
  listedName: listedTimedProbe,
  contextValue(id, _probe, env) {
    return contextPointer(id, undefined, env);
  },
  attach(probe, env) {
    const cpu = env.onlineCpus()[0] ?? 0;
    const fd = env.perfEventOpen({ ...cpuClockEvent(probe), cpu, pid: -1 });
    const link = env.program.attachPerfEvent(fd);
    return [{ detach: () => { link.detach(); env.closeFd(fd); } }];
  },
};

export const intervalPlugin = definePlugin('interval', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(intervalProvider);
});
