// The `json` output format (`-f json`): one JSON document per line (NDJSON),
// the same messages and shapes as bpftrace's JSON output. Everything, the
// attach and lost-event counts included, goes to the program output (stdout
// or -o FILE) so one stream carries every message.
import {
  definePlugin,
  Services,
  type MapSnapshot,
  type OutputFormat,
  type OutputWriter,
  type PrintfAction,
  type RunSession,
  type RuntimeErrorInfo,
  type SourceSite,
  type TextMessageKind,
  type TestResult,
  type BenchmarkResult,
} from '../../../sdk/index.ts';
import { manifestEnumNames, type MapEntry, type Value, type ValueType } from '../../../core/manifest/index.ts';
import { formatPrintf, sortMapsByName, tseriesClock, type EnumNames, type TseriesClock } from '../../../lib/render/index.ts';
import { jsonInt, jsonMessage, jsonObject, jsonString, jsonValue } from './json.ts';
import { formatJsonMap, formatJsonMapView } from './map.ts';
import { jsonBenchmarkResult, jsonTestResult } from './results.ts';

/** `{"type": "attached_probes", "count": N, "data": {"probes": N}}` (both fields, as bpftrace). */
export function jsonAttachedProbes(count: number): string {
  return jsonObject([['type', jsonString('attached_probes')], ['count', String(count)], ['data', jsonObject([['probes', String(count)]])]]) + '\n';
}

/** `{"type": "lost_events", "count": N, "data": {"events": N}}`. */
export function jsonLostEvents(count: number | bigint): string {
  return jsonObject([['type', jsonString('lost_events')], ['count', String(count)], ['data', jsonObject([['events', String(count)]])]]) + '\n';
}

/** print(value): `{"type": "value", "data": V}`. */
export function jsonPrintValue(value: Value, type: ValueType): string {
  return jsonMessage('value', jsonValue(value, type));
}

/** time(), cat(), join(), system(): `{"type": "time", "data": "text"}` (the text unchanged, newlines included). */
export function jsonTextMessage(kind: TextMessageKind, text: string): string {
  return jsonMessage(kind, jsonString(text));
}

/** The location fields bpftrace appends to errorf/warnf and runtime errors; none when the site has no span. */
function siteFields(site: SourceSite): [string, string][] {
  const s = site.span;
  if (!s) return [];
  return [
    ['filename', jsonString(s.file)],
    ['line', String(s.line)],
    ['col', String(s.col)],
  ];
}

/** errorf()/warnf(): `{"type": "errorf", "msg": "...", "filename": "stdin", "line": 1, "col": 9}`. */
export function jsonLogf(severity: 'error' | 'warning', text: string, site: SourceSite): string {
  return jsonObject([['type', jsonString(severity === 'error' ? 'errorf' : 'warnf')], ['msg', jsonString(text)], ...siteFields(site)]) + '\n';
}

/**
 * A run-time error: `{"type": "helper_error", "msg": "Bad address", "helper":
 * "probe_read", "retcode": -14, "filename", "line", "col"}` for a failed
 * helper, else `{"type": "runtime_error", "msg": ..., "filename", "line", "col"}`.
 */
export function jsonRuntimeError(error: RuntimeErrorInfo, site: SourceSite): string {
  const head: [string, string][] =
    error.kind === 'helper'
      ? [
          ['type', jsonString('helper_error')],
          ['msg', jsonString(error.message)],
          ['helper', jsonString(error.helper)],
          ['retcode', jsonInt(BigInt(error.retcode))],
        ]
      : [
          ['type', jsonString('runtime_error')],
          ['msg', jsonString(error.message)],
        ];
  return jsonObject([...head, ...siteFields(site)]) + '\n';
}

export interface JsonOutputOptions {
  /** Enum value names: printf's `%s` and map keys print enums by name (values stay numbers). */
  enumNames?: EnumNames;
  /** The session's clock: tseries intervals show as wall-clock time. */
  clock?: TseriesClock;
}

export class JsonOutputFormat implements OutputFormat {
  readonly name = 'json';

  constructor(private options: JsonOutputOptions = {}) {}

  /** The program's enum names (printf's `%s` and map keys print enums by name) and the session's clock (tseries times). */
  prepare(session: RunSession): void {
    this.options = { ...this.options, enumNames: manifestEnumNames(session.manifest), clock: tseriesClock(session) };
  }

  attached(count: number, w: OutputWriter): void {
    w.out(jsonAttachedProbes(count));
  }

  lostEvents(count: number, w: OutputWriter): void {
    w.out(jsonLostEvents(count));
  }

  printf(action: PrintfAction, args: { value: unknown; type: ValueType }[], w: OutputWriter): void {
    const text = formatPrintf(action.format, args as { value: Value; type: ValueType }[], this.options);
    w.out(jsonMessage('printf', jsonString(text)));
  }

  printValue(value: unknown, type: ValueType, w: OutputWriter): void {
    w.out(jsonPrintValue(value as Value, type));
  }

  printMap(map: MapSnapshot, opts: { top: number; div: number }, w: OutputWriter): void {
    const printOptions = { ...this.options, top: opts.top, div: opts.div };
    const line = map.packed ? formatJsonMapView(map.info, map.packed, printOptions) : formatJsonMap(map.info, map.entries as MapEntry[], printOptions);
    if (line) w.out(line);
  }

  /** Every map in name order, one line each; nothing else (no blank lines, unlike text). */
  mapsAtExit(maps: MapSnapshot[], w: OutputWriter): void {
    for (const m of sortMapsByName(maps)) this.printMap(m, { top: 0, div: 0 }, w);
  }

  textMessage(kind: TextMessageKind, text: string, w: OutputWriter): void {
    w.out(jsonTextMessage(kind, text));
  }

  logf(severity: 'error' | 'warning', text: string, site: SourceSite, w: OutputWriter): void {
    w.out(jsonLogf(severity, text, site));
  }

  runtimeError(error: RuntimeErrorInfo, site: SourceSite, w: OutputWriter): void {
    w.out(jsonRuntimeError(error, site));
  }

  testResult(result: TestResult, w: OutputWriter): void {
    w.out(jsonTestResult(result));
  }

  benchmarkResult(result: BenchmarkResult, w: OutputWriter): void {
    w.out(jsonBenchmarkResult(result));
  }
}

export const jsonOutputPlugin = definePlugin('output-json', ({ bind }) => {
  bind(Services.OutputFormat).toConstantValue(new JsonOutputFormat());
});
