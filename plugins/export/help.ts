// The HELP text of each exported map comes from the script: a line comment
// that starts with the map's name and a colon,
//
//   // @syscalls: system calls by process name
//   tracepoint:raw_syscalls:sys_enter { @syscalls[comm] = count(); }
//
// anywhere in the script or the files it imports (the first one found wins).
// A map without one gets a text that names it and its aggregation.
import type { MapInfo } from '../../core/manifest/index.ts';

const HELP_COMMENT = /^[ \t]*\/\/[ \t]*(@[A-Za-z0-9_]*)[ \t]*:[ \t]*(.*?)[ \t]*$/gm;

/** The HELP comments of the script texts, by map name (`@syscalls`, `@` for the anonymous map). */
export function helpComments(sources: Iterable<string>): Map<string, string> {
  const help = new Map<string, string>();
  for (const text of sources) {
    for (const m of text.matchAll(HELP_COMMENT)) if (m[2] && !help.has(m[1]!)) help.set(m[1]!, m[2]);
  }
  return help;
}

/** `count()`, `hist()`, `lhist()`...: the aggregation that fills a map; `value` for plain assignments. */
function aggregationName(info: MapInfo): string {
  return info.value.kind === 'plain' ? 'value' : `${info.value.kind}()`;
}

/** The map's HELP text: its comment, else `@name: count() per key`-style words. */
export function mapHelp(info: MapInfo, comments: ReadonlyMap<string, string>): string {
  return comments.get(info.name) ?? `bpfscript map ${info.name}: ${aggregationName(info)}${info.keyType ? ' per key' : ''}`;
}
