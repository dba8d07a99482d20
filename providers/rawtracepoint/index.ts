// `rawtracepoint[:module]:event` (alias `rt`): untyped `arg0..argN` as u64.
import { definePlugin, Services, type ProbeProvider } from '../../sdk/index.ts';
import { hasWildcard } from '../../plugins/host/index.ts';

const MAX_ARGS = 12;

export const rawTracepointProvider: ProbeProvider = {
  name: 'rawtracepoint',
  aliases: ['rt'],
  expand(req, env) {
    if (req.parts.length < 1 || req.parts.length > 2 || !req.parts[req.parts.length - 1]) {
      env.fail('rawtracepoint probe must have an event: rawtracepoint[:module]:event', req.span);
    }
    const event = req.parts[req.parts.length - 1];
    const names = hasWildcard(event) ? env.tracefs.listRawTracepoints(event) : [event];
    return names.map((name) => ({
      name: `rawtracepoint:${name}`,
      provider: 'rawtracepoint',
      section: `raw_tp/${name}`,
      target: { event: name },
    }));
  },
  contextValue(name) {
    const m = /^arg(\d+)$/.exec(name);
    if (!m || Number(m[1]) >= MAX_ARGS) return undefined;
    return { type: { kind: 'int', size: 8, signed: false }, c: `(((__u64 *)ctx)[${m[1]}])` };
  },
  attach(probe, env) {
    return [env.program.attachRawTracepoint(String(probe.target.event))];
  },
  list(pattern, env) {
    return env.tracefs.listRawTracepoints(pattern || '*').map((n) => `rawtracepoint:${n}`);
  },
};

export const rawTracepointPlugin = definePlugin('rawtracepoint', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(rawTracepointProvider);
});
