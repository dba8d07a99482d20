// The text output room: bpftrace's text output, byte for byte where it can be.
// Pure formatting (strings in, strings out); the session does the writing.
export {
  TextOutputFormat,
  textOutputPlugin,
  formatAttachedProbes,
  formatLostEvents,
  formatPrintValue,
  formatTextMessage,
  formatLogf,
  formatRuntimeError,
  type TextOutputOptions,
} from './format.ts';
export {
  formatMap,
  formatMapsAtExit,
  formatMapView,
  formatMapKey,
  formatHistogram,
  histBucketLabel,
  lhistBucketLabel,
  type MapContents,
} from './map.ts';
export { formatTseries, tseriesTimeUnit } from './tseries.ts';
export { formatTestResult, formatBenchmarkResult, durationText } from './results.ts';
