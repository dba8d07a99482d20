// The running kernel as the compiler sees it: its types from BTF
// (Services.KernelTypes) and its tracepoints from tracefs (Services.Tracefs).
// Both read lazily: a script that uses neither pays nothing.
import { definePlugin, Services } from '../../../sdk/index.ts';
import { BtfKernelTypes } from '../../../lib/btf/index.ts';
import { TracefsReader } from '../../../lib/host/index.ts';

export const kernelPlugin = definePlugin('kernel', ({ bind }) => {
  bind(Services.Tracefs).toConstantValue(new TracefsReader());
  bind(Services.KernelTypes).toConstantValue(new BtfKernelTypes());
});
