// `begin` / `end` (also `BEGIN` / `END`): programs run once by the session
// through BPF_PROG_TEST_RUN, at start and at exit, in script order.
import { definePlugin, Services, type ExpandedProbe, type ProbeProvider } from '../../sdk/index.ts';

function special(name: 'begin' | 'end'): ProbeProvider {
  return {
    name,
    aliases: [name.toUpperCase()],
    role: name,
    expand(req, env) {
      if (req.parts.length > 0) env.fail(`${name} probes take no arguments`, req.span);
      const probe: ExpandedProbe = { name, provider: name, section: 'raw_tp', target: {} };
      return [probe];
    },
  };
}

export const beginEndPlugin = definePlugin('begin-end', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(special('begin'));
  bind(Services.ProbeProvider).toConstantValue(special('end'));
});
