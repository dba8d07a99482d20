// The JSON output room (`-f json`): bpftrace's NDJSON messages, shape for shape.
// Pure formatting (values in, lines out); the session does the writing.
export {
  JsonOutputFormat,
  jsonOutputPlugin,
  jsonAttachedProbes,
  jsonLostEvents,
  jsonPrintValue,
  jsonTextMessage,
  jsonLogf,
  jsonRuntimeError,
  type JsonOutputOptions,
} from './format.ts';
export { formatJsonMap, formatJsonMapView, jsonHistogram, jsonMapKey, jsonMapType } from './map.ts';
export { jsonString, jsonInt, jsonObject, jsonArray, jsonMessage, jsonValue } from './json.ts';
export { jsonTestResult, jsonBenchmarkResult } from './results.ts';
export { mergeJsonRuns, finalMaps, MergeError, type MergeOptions } from './merge.ts';
