// One macro's text inside a standard-library file. The library's files hold
// comments and macros only, so a macro's text runs from its `macro` line to
// the next macro's; a script that uses `comm` parses the three lines of
// `comm()`, not all of task.bt. Parsing is most of a one-probe script's
// compile (the parser's code runs cold, once per process), so the rest of a
// file stays unparsed.

/** Where one macro definition's text starts and ends (the comments after it, up to the next macro, included). */
export interface MacroChunk {
  name: string;
  start: number;
  end: number;
}

const macroStart = /^[ \t]*macro[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/gm;

/** Each macro definition of a library text, in order. */
export function macroChunks(text: string): MacroChunk[] {
  const starts = [...text.matchAll(macroStart)].map((m) => ({ name: m[1]!, start: m.index! }));
  return starts.map((s, i) => ({ ...s, end: i + 1 < starts.length ? starts[i + 1]!.start : text.length }));
}

/** Names of the macros a .bt text defines. */
export function scanMacroNames(text: string): string[] {
  return macroChunks(text).map((c) => c.name);
}

/**
 * `text` with every character outside the definitions of `names` blanked
 * (newlines kept), so that what is parsed keeps the whole file's lines and
 * columns; undefined when the text before the first macro is more than
 * comments (the file is then parsed whole).
 */
export function textOfMacros(text: string, names: ReadonlySet<string>): string | undefined {
  const chunks = macroChunks(text);
  const head = text.slice(0, chunks[0]?.start ?? text.length);
  if (!head.split('\n').every((line) => /^\s*(\/\/.*)?$/.test(line))) return undefined;
  let out = '';
  let at = 0;
  for (const c of chunks) {
    if (!names.has(c.name)) continue;
    out += blank(text.slice(at, c.start)) + text.slice(c.start, c.end);
    at = c.end;
  }
  return out + blank(text.slice(at));
}

function blank(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}
