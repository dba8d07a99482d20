// C that a third-party builtin emits is framed by marker comments, so that
// when clang refuses it the error can point at the call in the script, name
// the builtin and its plugin, and show the C line under it, instead of a
// line of the cached generated file (core/session/build-limits.ts reads the
// markers back). The bundled builtins' C is not framed: the generated C of
// the project's own builtins stays as it is, and clang refusing it is a bug.
import type { Span } from '../diagnostics/index.ts';
import type { Builtin } from '../../sdk/index.ts';
import { describeOrigin, guarded, originOf } from '../plugin-host/index.ts';

/** One framed piece of a plugin's C: which builtin call made it. */
export interface PluginCRegion {
  id: number;
  /** `builtin bad_c() of plugin "x" of package "bt-x"`. */
  label: string;
  span: Span;
}

export const regionOpen = (id: number) => `/*bs-plugin ${id}{*/`;
export const regionClose = (id: number) => `/*}bs-plugin ${id}*/`;

/** What pluginC keeps in the program's codegen state. */
export interface PluginCState {
  /** Framed C, in the order it was made. */
  pluginRegions: PluginCRegion[];
  /** The calls being emitted, innermost last: the actions registered meanwhile are theirs. */
  calls: Span[];
}

/**
 * The C of a builtin's `emit` (or aggregate update), framed when a
 * third-party plugin made it. The call is on `state.calls` while it emits.
 */
export function pluginC(state: PluginCState, builtin: Builtin, label: string, what: string, span: Span, emit: () => string): string {
  state.calls.push(span);
  let c: string;
  try {
    c = guarded(builtin, label, what, span, emit);
  } finally {
    state.calls.pop();
  }
  const origin = originOf(builtin);
  if (!origin || origin.bundled) return c;
  const regions = state.pluginRegions;
  const id = regions.length;
  regions.push({ id, label: `${label} of ${describeOrigin(origin)}`, span });
  return `${regionOpen(id)}${c}${regionClose(id)}`;
}

/** The innermost framed region holding character `offset` of the generated C. */
export function regionAt(c: string, offset: number, regions: readonly PluginCRegion[]): PluginCRegion | undefined {
  let best: { region: PluginCRegion; start: number } | undefined;
  for (const region of regions) {
    const start = c.indexOf(regionOpen(region.id));
    const end = c.indexOf(regionClose(region.id));
    if (start < 0 || end < 0 || offset < start || offset > end) continue;
    if (!best || start > best.start) best = { region, start };
  }
  return best?.region;
}

/** A line of generated C as the plugin wrote it: markers removed. */
export function withoutMarkers(line: string): string {
  return line.replace(/\/\*\}?bs-plugin \d+\{?\*\//g, '');
}
