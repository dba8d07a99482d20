// The `folded` output format (`-f folded`): maps keyed by stacks as folded
// stacks (stacks.ts), at exit and on each print(), ready for flame-graph
// tools (`flamegraph.pl`, speedscope, inferno). Everything else prints as
// the text format prints it; a map that does not fold is left out with a
// warning, once (an empty one silently).
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
import { manifestEnumNames, type MapInfo, type Value, type ValueType } from '../../../core/manifest/index.ts';
import {
  formatAttachedProbes,
  formatLogf,
  formatLostEvents,
  formatPrintf,
  formatPrintValue,
  formatRuntimeError,
  formatTextMessage,
  type EnumNames,
} from '../../../lib/render/index.ts';
import { foldedKey, foldSnapshot, formatFolded } from './stacks.ts';

export class FoldedOutputFormat implements OutputFormat {
  readonly name = 'folded';
  #maps = new Map<string, MapInfo>();
  #enumNames: EnumNames = new Map();
  readonly #warned = new Set<string>();

  /** The compiled maps (which key parts are stacks is known before rendering) and enum names. */
  prepare(session: RunSession): void {
    this.#maps = new Map(session.manifest.maps.map((m) => [m.name, m]));
    this.#enumNames = manifestEnumNames(session.manifest);
  }

  attached(count: number, w: OutputWriter): void {
    w.err(formatAttachedProbes(count));
  }

  lostEvents(count: number, w: OutputWriter): void {
    w.err(formatLostEvents(count));
  }

  printf(action: PrintfAction, args: { value: unknown; type: ValueType }[], w: OutputWriter): void {
    w.out(formatPrintf(action.format, args as { value: Value; type: ValueType }[], { enumNames: this.#enumNames }));
  }

  printValue(value: unknown, type: ValueType, w: OutputWriter): void {
    w.out(formatPrintValue(value as Value, type, { enumNames: this.#enumNames }));
  }

  printMap(map: MapSnapshot, _opts: { top: number; div: number }, w: OutputWriter): void {
    const key = foldedKey(this.#maps.get(map.info.name) ?? map.info);
    if (key) w.out(formatFolded(foldSnapshot(map, key, this.#enumNames)));
    else if (map.entries.length > 0 && !this.#warned.has(map.info.name)) {
      this.#warned.add(map.info.name);
      w.err(`WARNING: ${map.info.name} is not a count or sum keyed by a stack: -f folded leaves it out\n`);
    }
  }

  mapsAtExit(maps: MapSnapshot[], w: OutputWriter): void {
    for (const m of maps) this.printMap(m, { top: 0, div: 0 }, w);
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

export const foldedOutputPlugin = definePlugin('output-folded', ({ bind }) => {
  bind(Services.OutputFormat).toConstantValue(new FoldedOutputFormat());
});
