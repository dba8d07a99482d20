// Reference documentation written in the .bt sources, in bpftrace's style:
//
//   // :variant int64 abs(int64 n)
//   // The absolute value of `n`.
//   macro abs(n) { ... }
//
// A comment block of `//` lines documents the macro right below it;
// `:function name` starts an entry with no macro (a builtin documented here),
// each `:variant` line is one signature, other lines are the description.
// A builtin's own `doc` string (sdk/builtin.ts) is the same lines without `//`.
export interface StdlibDoc {
  name: string;
  variants: string[];
  description: string;
  /** 1-based line of the block's first comment line. */
  line: number;
}

/** The entry a block of doc lines (comment markers removed) makes, named `name` unless a `:function` line names it. */
function docFromLines(lines: readonly string[], line: number, name?: string): StdlibDoc | undefined {
  const variants: string[] = [];
  const description: string[] = [];
  for (const l of lines) {
    const directive = /^:(function|variant|deprecated_variant)\s+(.*)$/.exec(l);
    if (directive?.[1] === 'function') name = directive[2]!.trim();
    else if (directive) {
      variants.push(directive[2]!.trim());
      name ??= /([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(directive[2]!)?.[1];
    } else description.push(l);
  }
  if (!name || variants.length + description.length === 0) return undefined;
  return { name, variants, description: description.join('\n').trim(), line };
}

export function parseStdlibDocs(text: string): StdlibDoc[] {
  const lines = text.split('\n');
  const docs: StdlibDoc[] = [];
  let block: { start: number; lines: string[] } | undefined;
  const flush = (macro?: string) => {
    const doc = block && docFromLines(block.lines, block.start, macro);
    if (doc) docs.push(doc);
    block = undefined;
  };
  lines.forEach((raw, i) => {
    const comment = /^\s*\/\/ ?(.*)$/.exec(raw);
    if (comment) {
      block ??= { start: i + 1, lines: [] };
      block.lines.push(comment[1]!);
      return;
    }
    const macro = /^\s*macro\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(raw);
    if (block && block.lines.some((l) => l.startsWith(':'))) flush(macro?.[1]);
    block = undefined;
  });
  if (block) flush();
  return docs;
}

/**
 * A builtin's `doc` string as an entry named `name`. The text may be indented
 * as a whole (a template literal inside code): the common indentation is removed.
 */
export function parseDocText(name: string, text: string): StdlibDoc | undefined {
  const lines = text.replace(/\t/g, '  ').split('\n');
  while (lines.length && !lines[0]!.trim()) lines.shift();
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  const body = lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0).trimEnd());
  const doc = docFromLines(body, 1, name);
  return doc && { ...doc, name };
}

/** A builtin's `doc` (sdk/builtin.ts): the same directives and description, without the `//`. */
export function parseBuiltinDoc(name: string, doc: string): StdlibDoc | undefined {
  const text = [`// :function ${name}`, ...doc.trim().split('\n').map((l) => `// ${l}`)].join('\n');
  return parseStdlibDocs(text)[0];
}
