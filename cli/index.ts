export { main, version } from './cli.ts';
export { parseArgs, usage, UsageError, type CliOptions } from './args.ts';
