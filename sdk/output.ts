// Output formats (text, json, ...): how messages, printf results, values and
// maps reach the user. The session drives one OutputFormat chosen by `-f`.
import type { Action, MapInfo, ValueType } from '../core/manifest/index.ts';

/** A decoded value (see core/manifest/decode.ts). */
export type DecodedValue = unknown;

/** Entries of a map already merged across CPUs; `key` undefined for scalar maps. */
export interface MapSnapshot {
  info: MapInfo;
  entries: { key?: unknown; value: unknown }[];
}

export interface OutputWriter {
  /** Program output (stdout or -o FILE). */
  out(text: string): void;
  /** Messages (stderr). */
  err(text: string): void;
}

export interface OutputFormat {
  readonly name: string;
  attached(count: number, w: OutputWriter): void;
  lostEvents(count: number, w: OutputWriter): void;
  printf(action: Extract<Action, { kind: 'printf' }>, args: { value: unknown; type: ValueType }[], w: OutputWriter): void;
  printValue(value: unknown, type: ValueType, w: OutputWriter): void;
  printMap(map: MapSnapshot, opts: { top: number; div: number }, w: OutputWriter): void;
  /** Maps printed when the program ends (print_maps_on_exit). */
  mapsAtExit(maps: MapSnapshot[], w: OutputWriter): void;
}
