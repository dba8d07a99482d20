// `self:signal:SIGUSR1`: runs when bpfscript itself gets the signal (as
// bpftrace's self probes). The programs are run by the session through
// BPF_PROG_TEST_RUN, in script order, each time the signal comes.
import { definePlugin, Services, type ProbeProvider } from '../../sdk/index.ts';
import { plainSearch } from '../shared/listing.ts';

/** The signals a self probe can wait for (upstream's list). */
export const selfSignals: readonly string[] = ['SIGUSR1'];

export const selfProvider: ProbeProvider = {
  name: 'self',
  aliases: [],
  role: 'signal',
  expand(req, env) {
    const [trigger, signal] = req.parts;
    if (req.parts.length !== 2) return env.fail('self probes are self:signal:SIGNAL (self:signal:SIGUSR1)', req.span);
    if (trigger !== 'signal') return env.fail(`${trigger} is not a supported trigger`, req.span);
    if (!selfSignals.includes(signal!)) return env.fail(`${signal} is not a supported signal`, req.span);
    return [{ name: `self:signal:${signal}`, provider: 'self', section: 'raw_tp', target: { signal: signal! } }];
  },
  list(pattern) {
    const search = plainSearch(pattern);
    return selfSignals.map((s) => `signal:${s}`).filter((s) => search.test(s)).map((s) => `self:${s}`);
  },
};

export const selfPlugin = definePlugin('self', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(selfProvider);
});
