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
} from '../../../sdk/index.ts';
import { manifestEnumNames, type MapEntry, type Value, type ValueType } from '../../../core/manifest/index.ts';
import { formatDiagnostic } from '../../../core/diagnostics/index.ts';
import { formatMap, formatMapsAtExit } from './map.ts';
import { formatPrintf, formatValue, type EnumNames, type TseriesClock } from '../../../lib/render/index.ts';

/** `Attached N probes` (stderr), singular for one. */
export function formatAttachedProbes(count: number): string {
  return `Attached ${count} ${count === 1 ? 'probe' : 'probes'}\n`;
}

/** `Lost N events` (stderr): events dropped because the ring buffer was full. */
export function formatLostEvents(count: number | bigint): string {
  return `Lost ${count} events\n`;
}

/** `print(value)` of a non-map value: the value and a newline. */
export function formatPrintValue(value: Value, type: ValueType, opts: { enumNames?: EnumNames } = {}): string {
  return formatValue(value, type, opts) + '\n';
}

/** time() and cat() print their text as is; join() and system() add a newline (as bpftrace). */
export function formatTextMessage(kind: TextMessageKind, text: string): string {
  return kind === 'join' || kind === 'syscall' ? text + '\n' : text;
}

/** errorf()/warnf() (stderr): `file:line:col-col: ERROR: msg`, without quoting the source (as bpftrace). */
export function formatLogf(severity: 'error' | 'warning', text: string, site: SourceSite): string {
  return formatDiagnostic({ severity: severity === 'error' ? 'ERROR' : 'WARNING', message: text, span: site.span }, new Map());
}

/** What bpftrace says for a failed helper: a plainer message for the common map cases, else strerror. */
function helperErrorText(e: Extract<RuntimeErrorInfo, { kind: 'helper' }>): string {
  if (e.helper === 'map_update_elem' && e.retcode === -7) {
    return "Map full; can't update element. Try increasing max_map_keys config or manually setting the max entries in a map declaration e.g. `let @a = hash(5000)`";
  }
  if (e.helper === 'map_delete_elem' && e.retcode === -2) return "Can't delete map element because it does not exist.";
  if (e.helper === 'map_lookup_elem') return "Can't lookup map element because it does not exist.";
  return e.message;
}

/** A run-time error (stderr): a WARNING at the call's location quoting the source line; helpers add their name and retcode. */
export function formatRuntimeError(error: RuntimeErrorInfo, site: SourceSite): string {
  const message =
    error.kind === 'helper' ? `${helperErrorText(error)}\nAdditional Info - helper: ${error.helper}, retcode: ${error.retcode}` : error.message;
  return formatDiagnostic({ severity: 'WARNING', message, span: site.span }, site.sources ?? new Map());
}

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
    this.options = { ...this.options, enumNames: manifestEnumNames(session.manifest), clock: session };
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
    w.out(formatMap(map.info, map.entries as MapEntry[], { ...this.options, top: opts.top, div: opts.div }));
  }

  /** The end-of-run output: two newlines, then the maps (pass [] when print_maps_on_exit=0). */
  mapsAtExit(maps: MapSnapshot[], w: OutputWriter): void {
    w.out(formatMapsAtExit(maps.map((m) => ({ info: m.info, entries: m.entries as MapEntry[] })), this.options));
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
}

export const textOutputPlugin = definePlugin('output-text', ({ bind }) => {
  bind(Services.OutputFormat).toConstantValue(new TextOutputFormat());
});
