export { TracefsReader, parseFormat, parseFormatField, findTracefsRoot } from './tracefs.ts';
export { globToRegExp, hasWildcard } from './glob.ts';
export { traceableFunctions, matchFunctions } from './kernel-functions.ts';
