// The kernel functions `-l` lists for kprobes and fentry: those
// --traceable-functions names, else tracefs' available_filter_functions (less
// the kprobe blacklist). Where that list cannot be read, none, with
// bpftrace's warning: other sources (kallsyms) name functions that may not be
// traceable at all.
import { listableFunctions, type KernelFunction } from '../../lib/host/index.ts';
import type { ProviderEnv } from '../../sdk/index.ts';

/** bpftrace's words for a list of traceable functions that cannot be read. */
export function unreadableFunctionsWarning(path: string): string {
  return `Could not read functions from ${path}. If this is expected, use --traceable-functions to set this path manually. This file is needed in order to determine which functions can safely be traced without causing issues in the kernel.`;
}

/** The functions to list; warns (through env) when there are none to read; throws when tracefs is not mounted or the named file cannot be read. */
export function listedFunctions(env: ProviderEnv): readonly KernelFunction[] {
  const file = env.config.traceableFunctions;
  const unmounted = file === undefined ? env.tracefs.unavailable?.() : undefined;
  if (unmounted) throw new Error(unmounted);
  const listed = listableFunctions(env.tracefs.root, file);
  if (listed.unreadable !== undefined) env.warn(unreadableFunctionsWarning(listed.unreadable));
  return listed.functions;
}
