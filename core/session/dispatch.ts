// The event dispatch: every ring-buffer record's action id picks its action,
// whose handler turns the record into output. Values reach the output formats
// with strftime() timestamps, symbols and kstack() frames already text.
import type { MapSnapshot, RuntimeObject } from '../../sdk/index.ts';
import { decodeValue, type Action, type MapInfo, type ValueType } from '../manifest/index.ts';
import { formatPrintf } from '../../lib/render/index.ts';
import { ActionRunner } from './actions.ts';
import { WallClock, materializeSnapshot, materializeTimestamps, type ValueRendering } from './timestamps.ts';
import { mapSnapshot } from './maps.ts';
import type { RunContext } from './context.ts';
import type { RunEnd } from './run-end.ts';

export class EventDispatch {
  readonly #actions: Map<number, Action>;
  readonly #runner: ActionRunner;
  readonly #rendering: ValueRendering;
  #clock: WallClock | undefined;

  constructor(
    private readonly s: RunContext,
    private readonly obj: RuntimeObject,
    private readonly end: RunEnd,
  ) {
    this.#actions = new Map<number, Action>(s.manifest.actions.map((a) => [a.id, a]));
    const wallClock = () => (this.#clock ??= new WallClock(s.runtime));
    // What values need to become text: the wall clock, errno texts, and kstack() frames from the stack map.
    this.#rendering = {
      strftime: (format, bootNs) => wallClock().strftime(format, bootNs),
      get bootToRealtimeNs() {
        return wallClock().bootToRealtimeNs;
      },
      runtime: s.runtime,
      kernelStackFrames: (mapName, id) => {
        const map = obj.findMap(mapName);
        const key = Buffer.alloc(4);
        key.writeUInt32LE(id);
        const value = map?.lookup(key);
        if (!value) return undefined;
        const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
        const frames: bigint[] = [];
        for (let o = 0; o + 8 <= value.length; o += 8) frames.push(view.getBigUint64(o, true));
        return frames;
      },
    };
    this.#runner = new ActionRunner(s.output, s.writer, {
      sources: s.opts.sources,
      noWarnings: s.opts.noWarnings,
      maxCatBytes: s.config.maxCatBytes,
      runtime: s.runtime,
      clock: wallClock,
      format: (format, values) => formatPrintf(format, values as Parameters<typeof formatPrintf>[1]),
    });
  }

  /** One ring-buffer record. */
  dispatch(view: DataView, offset: number): void {
    const id = Number(view.getBigUint64(offset, true));
    // A tap that returns true claims the record: its action does not run.
    if (this.s.hooks.event.call(id, view, offset) === true) return;
    const action = this.#actions.get(id);
    if (!action) return;
    this.handleAction(action, view, offset);
  }

  /** A script map's entries as the output formats get them. */
  snapshot(info: MapInfo): MapSnapshot {
    return materializeSnapshot(mapSnapshot(this.obj, info), this.#rendering);
  }

  /** After the last record: what handlers still hold is printed. */
  finish(): void {
    this.#runner.finish();
  }

  private shown(value: unknown, type: ValueType): { value: unknown; type: ValueType } {
    return materializeTimestamps(value, type, this.#rendering);
  }

  private args(layouts: { offset: number; type: ValueType }[], view: DataView, offset: number) {
    return layouts.map((a) => this.shown(decodeValue(view, offset + a.offset, a.type), a.type));
  }

  private handleAction(action: Action, view: DataView, offset: number): void {
    const { manifest, output, writer: w } = this.s;
    switch (action.kind) {
      case 'printf':
        output.printf(action, this.args(action.args, view, offset), w);
        return;
      case 'print_value': {
        const v = this.shown(decodeValue(view, offset + action.arg.offset, action.arg.type), action.arg.type);
        output.printValue(v.value, v.type, w);
        return;
      }
      case 'print_map': {
        const info = manifest.maps.find((m) => m.name === action.map)!;
        output.printMap(this.snapshot(info), { top: action.top, div: action.div }, w);
        return;
      }
      case 'clear':
      case 'zero': {
        const info = manifest.maps.find((m) => m.name === action.map)!;
        const map = this.obj.map(info.cName);
        if (action.kind === 'clear') map.clear();
        else map.zero();
        return;
      }
      case 'exit':
        this.end.exit(Number(BigInt.asIntN(32, view.getBigUint64(offset + 8, true))));
        return;
      case 'time':
      case 'logf':
      case 'cat':
      case 'system':
      case 'join':
      case 'helper_error':
        this.#runner.run(action, view, offset, (layouts) => this.args(layouts, view, offset));
        return;
    }
  }
}
