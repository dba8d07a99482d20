// `watchpoint:0xADDRESS:length:mode` (`w`): a hardware breakpoint (perf
// breakpoint event) on an address of the traced process (-p PID or -c CMD);
// mode is any of r, w, x (x alone). The probe fires on each access.
import { contextPointer } from '../shared/context-pointer.ts';
import { definePlugin, Services, type ProbeProvider } from '../../sdk/index.ts';

const PERF_TYPE_BREAKPOINT = 5;
const modes: Record<string, number> = { r: 1, w: 2, rw: 3, wr: 3, x: 4 };

export const watchpointProvider: ProbeProvider = {
  name: 'watchpoint',
  aliases: ['w'],
  expand(req, env) {
    const [addr, len, mode] = req.parts;
    if (req.parts.length !== 3) return env.fail('watchpoint probes are watchpoint:0xADDRESS:length:mode (e.g. watchpoint:0x601040:8:w)', req.span);
    if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(addr)) return env.fail(`Invalid watchpoint address: ${addr}`, req.span);
    if (!['1', '2', '4', '8'].includes(len)) return env.fail(`Invalid watchpoint length: ${len} (1, 2, 4 or 8)`, req.span);
    const bpType = modes[[...mode].sort().join('')];
    if (!bpType) return env.fail(`Invalid watchpoint mode: ${mode} (r, w, rw or x)`, req.span);
    const address = BigInt(addr);
    return [{
      name: `watchpoint:0x${address.toString(16)}:${len}:${mode}`,
      provider: 'watchpoint',
      section: 'perf_event',
      target: { address: `0x${address.toString(16)}`, length: Number(len), bpType },
    }];
  },
  contextValue(id, _probe, env) {
    return contextPointer(id, undefined, env);
  },
  attach(probe, env) {
    if (env.targetPid === undefined) throw new Error('watchpoint probes need a process to watch: use -p PID or -c CMD');
    const fd = env.perfEventOpen({
      type: PERF_TYPE_BREAKPOINT,
      config: 0,
      samplePeriod: 1,
      cpu: -1,
      pid: env.targetPid,
      bpAddr: BigInt(String(probe.target.address)),
      bpLen: Number(probe.target.length),
      bpType: Number(probe.target.bpType),
    });
    return [env.program.attachPerfEvent(fd)];
  },
};

export const watchpointPlugin = definePlugin('watchpoint', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(watchpointProvider);
});
