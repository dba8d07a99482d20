// The flame graph file of a run: one SVG of every map that folds, each map
// as it was last shown (its last print(), or the run's end). Each write makes
// the whole SVG in a temporary file next to FILE and renames it over FILE, so
// a viewer reloading FILE while a run goes on for hours sees the previous
// graph or the new one, never half of one. A failed write says so once per
// kind of failure (a full disk every ten seconds is one message) and the run
// goes on.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import type { MapInfo } from '../../../core/manifest/index.ts';
import type { FoldedKey, FoldedStack } from './stacks.ts';
import { flameGraphSvg } from './svg.ts';

/** A map that folds, and how its key folds. */
export interface FoldableMap {
  info: MapInfo;
  key: FoldedKey;
}

export class FlameGraphFile {
  /** Each map's stacks as last shown; a map not shown yet is not in the graph. */
  readonly #shown = new Map<string, FoldedStack[]>();
  /** The last failure reported, so a failure that repeats is said once. */
  #failure: string | undefined;

  /**
   * @param maps the names of every map of the script that folds: with more
   *   than one, each map's name is the root of its stacks (whether or not
   *   the others were shown yet), so the graph keeps its shape from one write
   *   to the next
   */
  constructor(
    readonly path: string,
    private readonly maps: readonly string[],
    private readonly warn: (text: string) => void,
  ) {}

  /** Whether `map` was shown before. */
  shown(map: string): boolean {
    return this.#shown.has(map);
  }

  /** `map` is now shown as `stacks`. */
  show(map: string, stacks: FoldedStack[]): void {
    this.#shown.set(map, stacks);
  }

  /** The graph of every map shown, in the script's order of maps. */
  svg(): string {
    const names = this.maps.filter((m) => this.#shown.has(m));
    const stacks = names.flatMap((m) => {
      const own = this.#shown.get(m)!;
      return this.maps.length > 1 ? own.map((s) => ({ ...s, frames: [m, ...s.frames] })) : own;
    });
    return flameGraphSvg(stacks, { title: `Flame Graph: ${names.join(', ')}` });
  }

  /** Writes the graph to a temporary file and renames it over the file. */
  write(): void {
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, this.svg());
      renameSync(tmp, this.path);
      this.#failure = undefined;
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // Never made, or its folder is gone: nothing to remove.
      }
      const failure = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      if (failure !== this.#failure) this.warn(`ERROR: --flamegraph: cannot write ${this.path}: ${failure}\n`);
      this.#failure = failure;
    }
  }
}
