// The `text` output format (bpfscript's default, `-f text`): bpftrace's text
// output, as an OutputFormat the session drives.
import { definePlugin, Services, type MapSnapshot, type OutputFormat, type OutputWriter } from '../../sdk/index.ts';
import type { Action, MapEntry, Value, ValueType } from '../../core/manifest/index.ts';
import { formatMap, formatMapsAtExit } from './map.ts';
import { formatPrintf } from './printf.ts';
import { formatValue, type EnumNames } from './value.ts';

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

export interface TextOutputOptions {
  /** Enum value names, for printing enum-typed values symbolically. */
  enumNames?: EnumNames;
}

export class TextOutputFormat implements OutputFormat {
  readonly name = 'text';

  constructor(private readonly options: TextOutputOptions = {}) {}

  attached(count: number, w: OutputWriter): void {
    w.err(formatAttachedProbes(count));
  }

  lostEvents(count: number, w: OutputWriter): void {
    w.err(formatLostEvents(count));
  }

  printf(action: Extract<Action, { kind: 'printf' }>, args: { value: unknown; type: ValueType }[], w: OutputWriter): void {
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
}

export const textOutputPlugin = definePlugin('output-text', ({ bind }) => {
  bind(Services.OutputFormat).toConstantValue(new TextOutputFormat());
});
