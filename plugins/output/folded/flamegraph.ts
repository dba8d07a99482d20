// `--flamegraph FILE.svg`: when the run ends, the maps keyed by stacks
// (count or sum) become one interactive SVG flame graph; with several such
// maps, each map's name is the first frame above `all`. The file is written
// whole, then renamed into place.
import { renameSync, writeFileSync } from 'node:fs';
import { manifestEnumNames } from '../../../core/manifest/index.ts';
import { definePlugin, Services, type BpfscriptPlugin, type Hooks, type HookTap, type RunSession } from '../../../sdk/index.ts';
import { foldedKey, foldSnapshot, type FoldedStack } from './stacks.ts';
import { flameGraphSvg } from './svg.ts';

/** The folded stacks of every map of the session that folds (map names as root frames when there are several). */
export function sessionStacks(session: RunSession): { stacks: FoldedStack[]; maps: string[] } {
  const enumNames = manifestEnumNames(session.manifest);
  const foldable = session.manifest.maps.flatMap((info) => {
    const key = foldedKey(info);
    return key ? [{ info, key }] : [];
  });
  const stacks = foldable.flatMap(({ info, key }) => {
    const folded = foldSnapshot(session.snapshot(info.name), key, enumNames);
    return foldable.length > 1 ? folded.map((s) => ({ ...s, frames: [info.name, ...s.frames] })) : folded;
  });
  return { stacks, maps: foldable.map((f) => f.info.name) };
}

class FlameGraphTap implements HookTap {
  readonly name = 'flamegraph';

  constructor(private readonly file: string) {}

  apply(hooks: Hooks): void {
    let session: RunSession | undefined;
    hooks.running.tapPromise(this.name, async (s) => void (session = s));
    hooks.exit.tapPromise(this.name, async () => {
      if (!session) return;
      const { stacks, maps } = sessionStacks(session);
      if (maps.length === 0) {
        session.writer.err(`WARNING: --flamegraph: no map is a count or sum keyed by a stack; ${this.file} is not written\n`);
        return;
      }
      const tmp = `${this.file}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, flameGraphSvg(stacks, { title: `Flame Graph: ${maps.join(', ')}` }));
        renameSync(tmp, this.file);
      } catch (e) {
        session.writer.err(`ERROR: --flamegraph: cannot write ${this.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      }
    });
  }
}

/** The plugin that writes the flame graph to `file` at the end of the run. */
export function flameGraphPlugin(file: string): BpfscriptPlugin {
  return definePlugin('flamegraph', ({ bind }) => {
    bind(Services.HookTap).toConstantValue(new FlameGraphTap(file));
  });
}
