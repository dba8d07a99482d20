// Imported first by the entry point (cli/main.ts): names the process before
// anything else runs, so probes that read comm from begin on see `bpfscript`.
import { nameProcess } from './process-name.ts';

nameProcess();
