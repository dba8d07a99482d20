// `test:NAME` and `bench:NAME` (as bpftrace's): programs the session runs
// itself, only with `--test` / `--bench`, and then instead of attaching
// anything. A test runs once and fails when it returns non-zero, calls
// exit() with a non-zero code or reports an error (errorf, a run-time error);
// a benchmark runs repeatedly and is timed. Both are `xdp` programs: the
// kernel test-runs that type with repeats and measures it (raw_tp, which
// begin/end use, takes neither).
import { definePlugin, Services, type ProbeProvider } from '../../sdk/index.ts';

function sessionRun(name: 'test' | 'bench'): ProbeProvider {
  return {
    name,
    aliases: [],
    role: name,
    expand(req, env) {
      // Upstream's words, counting the provider as it does not.
      if (req.parts.length !== 1) env.fail(`${name} probe type requires 1 arguments, found ${req.parts.length}`, req.span);
      const label = req.parts[0]!;
      return [{ name: `${name}:${label}`, provider: name, section: 'xdp', target: { label } }];
    },
    // The name is a label, never a pattern: `test:a*` is the test called `a*`.
    isPattern: () => false,
  };
}

export const testProvider = sessionRun('test');
export const benchProvider = sessionRun('bench');

export const testBenchPlugin = definePlugin('test-bench', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(testProvider);
  bind(Services.ProbeProvider).toConstantValue(benchProvider);
});
