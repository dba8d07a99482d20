// `--flamegraph FILE.svg`: the maps keyed by stacks (count or sum) as one
// interactive SVG flame graph, rewritten on each print() of such a map and
// when the run ends; with several such maps, each map's name is the first
// frame above `all`. The file always holds each map as it was last shown
// (flame-graph-file.ts), so `interval:s:10 { print(@); clear(@); }` keeps
// the last ten seconds in it, and `end { print(@); clear(@); }` the print.
import { manifestEnumNames, type Action } from '../../../core/manifest/index.ts';
import { definePlugin, Services, type BpfscriptPlugin, type Hooks, type HookTap, type RunSession } from '../../../sdk/index.ts';
import type { EnumNames } from '../../../lib/render/index.ts';
import { foldedKey, foldSnapshot } from './stacks.ts';
import { FlameGraphFile, type FoldableMap } from './flame-graph-file.ts';

/** The maps of a session that fold, in the Manifest's order. */
export function foldableMaps(session: RunSession): FoldableMap[] {
  return session.manifest.maps.flatMap((info) => {
    const key = foldedKey(info);
    return key ? [{ info, key }] : [];
  });
}

/** print(@map) records (the builtins' `print_map` action names its map). */
function printedMap(action: Action): string | undefined {
  const map = (action as { map?: unknown }).map;
  return action.kind === 'print_map' && typeof map === 'string' ? map : undefined;
}

/** One run's flame graph: the file, and which action ids print a map that folds. */
class RunFlameGraph {
  readonly #file: FlameGraphFile;
  /** The print() actions of maps that fold, by action id. */
  readonly #prints = new Map<number, FoldableMap>();
  readonly #enumNames: EnumNames;

  constructor(
    path: string,
    private readonly session: RunSession,
    private readonly maps: FoldableMap[],
  ) {
    this.#file = new FlameGraphFile(path, maps.map((m) => m.info.name), (text) => session.writer.err(text));
    this.#enumNames = manifestEnumNames(session.manifest);
    const byName = new Map(maps.map((m) => [m.info.name, m]));
    for (const action of session.manifest.actions) {
      const map = byName.get(printedMap(action) ?? '');
      if (map) this.#prints.set(action.id, map);
    }
  }

  #fold(map: FoldableMap) {
    return foldSnapshot(this.session.snapshot(map.info.name), map.key, this.#enumNames);
  }

  /** A record: when it is a print() of a map that folds, the file shows the map as it is now. */
  record(actionId: number): void {
    const map = this.#prints.get(actionId);
    if (!map) return;
    this.#file.show(map.info.name, this.#fold(map));
    this.#file.write();
  }

  /**
   * The end of the run: each map as the maps printed at exit show it. A map
   * shown before keeps its last print when the maps are not printed at exit
   * (print_maps_on_exit=0) or when it is empty now (cleared after its print).
   */
  exit(): void {
    for (const map of this.maps) {
      const stacks = this.#fold(map);
      const keepPrint = this.#file.shown(map.info.name) && (!this.session.config.printMapsOnExit || stacks.length === 0);
      if (!keepPrint) this.#file.show(map.info.name, stacks);
    }
    this.#file.write();
  }
}

class FlameGraphTap implements HookTap {
  readonly name = 'flamegraph';

  constructor(private readonly file: string) {}

  apply(hooks: Hooks): void {
    let session: RunSession | undefined;
    let run: RunFlameGraph | undefined;
    hooks.running.tapPromise(this.name, async (s) => {
      session = s;
      const maps = foldableMaps(s);
      if (maps.length > 0) run = new RunFlameGraph(this.file, s, maps);
    });
    // Before the print's own handler: both read the map as it is now.
    hooks.event.tap(this.name, (actionId) => void run?.record(actionId));
    hooks.exit.tapPromise(this.name, async () => {
      if (run) run.exit();
      else session?.writer.err(`WARNING: --flamegraph: no map is a count or sum keyed by a stack; ${this.file} is not written\n`);
    });
    hooks.closed.tap(this.name, () => {
      session = undefined;
      run = undefined;
    });
  }
}

/** The plugin that writes the flame graph to `file` on each print of a map that folds and at the end of the run. */
export function flameGraphPlugin(file: string): BpfscriptPlugin {
  return definePlugin('flamegraph', ({ bind }) => {
    bind(Services.HookTap).toConstantValue(new FlameGraphTap(file));
  });
}
