// The `text` output format (bpfscript's default, `-f text`): bpftrace's text
// output, as an OutputFormat the session drives.
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
import { formatMap, formatMapView, formatMapsAtExit } from './map.ts';
import { formatBenchmarkResult, formatTestResult } from './results.ts';
import {
  formatAttachedProbes,
  formatLogf,
  formatLostEvents,
  formatPrintf,
  formatPrintValue,
  formatRuntimeError,
  formatTextMessage,
  tseriesClock,
  type EnumNames,
  type TseriesClock,
} from '../../../lib/render/index.ts';

export { formatAttachedProbes, formatLostEvents, formatPrintValue, formatTextMessage, formatLogf, formatRuntimeError };

export interface TextOutputOptions {
  /** Enum value names, for printing enum-typed values symbolically. */
  enumNames?: EnumNames;
  /** The session's clock: tseries intervals show as wall-clock time. */
  clock?: TseriesClock;
}

export class TextOutputFormat implements OutputFormat {
  readonly name = 'text';

  constructor(private options: TextOutputOptions = {}) {}

  /** The program's enum names (enum values print by name) and the session's clock (tseries times). */
  prepare(session: RunSession): void {
    this.options = { ...this.options, enumNames: manifestEnumNames(session.manifest), clock: tseriesClock(session) };
  }

  attached(count: number, w: OutputWriter): void {
    w.err(formatAttachedProbes(count));
  }

  lostEvents(count: number, w: OutputWriter): void {
    w.err(formatLostEvents(count));
  }

  printf(action: PrintfAction, args: { value: unknown; type: ValueType }[], w: OutputWriter): void {
    w.out(formatPrintf(action.format, args as { value: Value; type: ValueType }[], this.options));
  }

  printValue(value: unknown, type: ValueType, w: OutputWriter): void {
    w.out(formatPrintValue(value as Value, type, this.options));
  }

  printMap(map: MapSnapshot, opts: { top: number; div: number }, w: OutputWriter): void {
    const printOptions = { ...this.options, top: opts.top, div: opts.div };
    w.out(map.packed ? formatMapView(map.info, map.packed, printOptions) : formatMap(map.info, map.entries as MapEntry[], printOptions));
  }

  /** The end-of-run output: two newlines, then the maps (pass [] when print_maps_on_exit=0). */
  mapsAtExit(maps: MapSnapshot[], w: OutputWriter): void {
    // `entries` read only for maps without a view: a view's entries are never decoded all at once.
    w.out(formatMapsAtExit(maps.map((m) => ({ info: m.info, get entries() { return m.entries as MapEntry[]; }, packed: m.packed })), this.options));
  }

  textMessage(kind: TextMessageKind, text: string, w: OutputWriter): void {
    w.out(formatTextMessage(kind, text));
  }

  logf(severity: 'error' | 'warning', text: string, site: SourceSite, w: OutputWriter): void {
    w.err(formatLogf(severity, text, site));
  }

  runtimeError(error: RuntimeErrorInfo, site: SourceSite, w: OutputWriter): void {
    w.err(formatRuntimeError(error, site));
  }

  testResult(result: TestResult, w: OutputWriter): void {
    w.out(formatTestResult(result));
  }

  benchmarkResult(result: BenchmarkResult, w: OutputWriter): void {
    w.out(formatBenchmarkResult(result));
  }
}

export const textOutputPlugin = definePlugin('output-text', ({ bind }) => {
  bind(Services.OutputFormat).toConstantValue(new TextOutputFormat());
});
