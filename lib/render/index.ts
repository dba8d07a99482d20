// render: what the output formats share (text, json): values as bpftrace's
// text prints them, printf formatting and checking, the order and selection
// of map entries, tseries interval times, wall-clock text.
export { formatValue, formatDividedValue, hexFormatBuffer, enumText, compareValues, isRecord, type EnumNames, type ValueFormatOptions } from './value.ts';
export { formatGfpFlags } from './gfp-flags.ts';
export { parsePrintfFormat, checkPrintfArgs, formatPrintf, type PrintfSpec, type ParsedPrintf, type PrintfArg } from './printf.ts';
export { sortMapEntries, printOrder, printedEntries, printedPositions, numericView, sortMapsByName, nonEmptyBuckets, type MapPrintOptions, type NumberShortcuts } from './maps.ts';
export { tseriesClock, tseriesWallTime, tseriesLastUpdate, secondFraction, type TseriesClock } from './tseries.ts';
export { wallClockText, MAX_TIME_TEXT } from './wall-clock.ts';
export { formatAttachedProbes, formatLostEvents, formatPrintValue, formatTextMessage, formatLogf, formatRuntimeError } from './messages.ts';
