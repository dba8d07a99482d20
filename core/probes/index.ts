export { splitAttachPoint } from './split.ts';
export { expandProbes, ProviderRegistry, type ProbeInstance } from './expand.ts';
export { NoProbesError, noProbesError } from './no-probes.ts';
export { filterProbes } from './probe-filter.ts';
export { MULTI_ATTACH_MAX_FUNCTIONS } from './link-groups.ts';
