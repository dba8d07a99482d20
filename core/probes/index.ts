export { splitAttachPoint } from './split.ts';
export { expandProbes, ProviderRegistry, type ProbeInstance } from './expand.ts';
