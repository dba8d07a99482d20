// The built-in probe providers, each a plugin registered like a third-party one.
export { beginEndPlugin } from './begin-end/index.ts';
export { intervalPlugin } from './interval/index.ts';
export { tracepointPlugin } from './tracepoint/index.ts';
export { rawTracepointPlugin } from './rawtracepoint/index.ts';
export { kprobePlugin } from './kprobe/index.ts';
export { fentryPlugin } from './fentry/index.ts';
export { profilePlugin } from './profile/index.ts';
export { softwarePlugin } from './software/index.ts';
export { uprobePlugin } from './uprobe/index.ts';
export { usdtPlugin } from './usdt/index.ts';
export { watchpointPlugin } from './watchpoint/index.ts';
export { hardwarePlugin } from './hardware/index.ts';
export { iterPlugin } from './iter/index.ts';
export { selfPlugin } from './self/index.ts';
export { testBenchPlugin } from './test-bench/index.ts';
