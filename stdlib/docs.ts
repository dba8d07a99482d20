// Reference documentation written in the .bt sources, in bpftrace's style:
//
//   // :variant int64 abs(int64 n)
//   // The absolute value of `n`.
//   macro abs(n) { ... }
//
// A comment block of `//` lines documents the macro right below it;
// `:function name` starts an entry with no macro (a builtin documented here),
// each `:variant` line is one signature, other lines are the description.
export interface StdlibDoc {
  name: string;
  variants: string[];
  description: string;
  /** 1-based line of the block's first comment line. */
  line: number;
}

export function parseStdlibDocs(text: string): StdlibDoc[] {
  const lines = text.split('\n');
  const docs: StdlibDoc[] = [];
  let block: { start: number; lines: string[] } | undefined;
  const flush = (macro?: string) => {
    if (!block) return;
    const variants: string[] = [];
    const description: string[] = [];
    let name = macro;
    for (const l of block.lines) {
      const directive = /^:(function|variant|deprecated_variant)\s+(.*)$/.exec(l);
      if (directive?.[1] === 'function') name = directive[2]!.trim();
      else if (directive) {
        variants.push(directive[2]!.trim());
        name ??= /([A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(directive[2]!)?.[1];
      } else description.push(l);
    }
    if (name && variants.length + description.length > 0) {
      docs.push({ name, variants, description: description.join('\n').trim(), line: block.start });
    }
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

/** A builtin's `doc` (sdk/builtin.ts): the same directives and description, without the `//`. */
export function parseBuiltinDoc(name: string, doc: string): StdlibDoc | undefined {
  const text = [`// :function ${name}`, ...doc.trim().split('\n').map((l) => `// ${l}`)].join('\n');
  return parseStdlibDocs(text)[0];
}
