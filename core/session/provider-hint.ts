// A provider's explanation of a load or attach failure (a kernel without
// kprobes, trampolines refused), added to the runtime's error as a HINT line.
import { RuntimeError } from '../../sdk/index.ts';
import type { Manifest } from '../manifest/index.ts';
import type { ProviderRegistry } from '../probes/index.ts';

/** Asks only the providers whose probes are in play (`only`: the one that failed to attach). */
export function withProviderHint(e: unknown, op: 'load' | 'attach', manifest: Manifest, registry: ProviderRegistry, only?: string): unknown {
  if (!(e instanceof RuntimeError)) return e;
  const names = only ? [only] : [...new Set(manifest.probes.map((p) => p.provider))];
  for (const name of names) {
    const hint = registry.find(name)?.explainFailure?.({ op, errno: e.code, message: e.message });
    if (hint) {
      e.message = `${e.message}\nHINT: ${hint}`;
      break;
    }
  }
  return e;
}
