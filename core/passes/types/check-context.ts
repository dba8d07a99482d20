// The adapter builtins see (sdk CheckContext): their plugin's `check` types
// arguments, reads maps and folds constants through it, never through the
// checker itself.
import { errorAt } from '../../diagnostics/index.ts';
import type { CheckContext } from '../../../sdk/index.ts';
import { constantOf } from './comptime.ts';
import type { InstanceChecker } from './instance.ts';
import { mapKey } from './maps.ts';

export function builtinCheckContext(c: InstanceChecker): CheckContext {
  return {
    probe: c.inst.expanded,
    probeGroup: c.inst.linkGroup ?? [c.inst.expanded],
    config: c.opts.config,
    typeOf: (n) => c.expr(n),
    map: (n) => {
      if (n.kind !== 'MapRef') throw errorAt(n.span, 'Expected a map argument (@name)');
      const m = c.maps.get(n.name);
      if (!m) {
        if (c.strict) throw errorAt(n.span, `Undefined map: ${n.name}`);
        return { name: n.name };
      }
      return { name: m.name, keyType: m.keyType, value: m.value, keyed: m.keyed };
    },
    mapKey: (n, keys, span) => {
      if (n.kind !== 'MapRef') throw errorAt(n.span, 'Expected a map argument (@name)');
      return mapKey(c, n, keys, span);
    },
    constant: (n) => constantOf(c, n),
    constantString: (n) => {
      if (!c.result.exprTypes.has(n)) c.expr(n);
      return c.result.strings.get(n);
    },
    hasChildProcess: c.opts.hasChildProcess,
    kernelTypes: c.opts.kernelTypes,
    kfuncAllowed: (name) => c.opts.kfuncAllowed?.(name, c.inst.expanded.section) ?? false,
    fail: (message, span) => {
      throw errorAt(span, message);
    },
    warn: (message, span) => c.warnings.warning(span, message),
  };
}
