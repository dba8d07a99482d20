export { splitAttachPoint } from './split.ts';
export { expandProbes, noProbesError, ProviderRegistry, type ProbeInstance } from './expand.ts';
