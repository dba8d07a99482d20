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
export { formatValue, formatDividedValue, hexFormatBuffer, enumText, compareValues, type EnumNames, type ValueFormatOptions } from '../../../lib/render/value.ts';
export {
  formatMap,
  formatMapsAtExit,
  formatMapKey,
  formatHistogram,
  sortMapEntries,
  histBucketLabel,
  lhistBucketLabel,
  type MapFormatOptions,
  type MapContents,
} from './map.ts';
export { formatTseries, tseriesTimeUnit, tseriesWallTime, tseriesLastUpdate } from './tseries.ts';
export { parsePrintfFormat, checkPrintfArgs, formatPrintf, type PrintfSpec, type ParsedPrintf, type PrintfArg } from '../../../lib/render/printf.ts';
