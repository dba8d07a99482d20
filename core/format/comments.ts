// Comments are not in the AST; the formatter finds them in the source text and
// puts each back at the nearest statement or item boundary.

export interface SourceComment {
  /** Offsets of the comment's first character and one past its last. */
  start: number;
  end: number;
  /** 1-based lines of its first and last character. */
  line: number;
  endLine: number;
  /** The comment as written, `//` or block form. */
  text: string;
  /** Nothing but blanks before it on its line. */
  ownLine: boolean;
  /** The blanks before it on its line (when ownLine). */
  indent: string;
}

/** Offsets of the start of each line. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/**
 * The comments of `text`, skipping strings and the `skip` ranges (raw C
 * definitions and preprocessor lines, which keep their comments inside).
 */
export function findComments(text: string, skip: readonly [number, number][] = []): SourceComment[] {
  const starts = lineStarts(text);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const ranges = [...skip].sort((a, b) => a[0] - b[0]);
  let r = 0;
  const out: SourceComment[] = [];
  let i = 0;
  while (i < text.length) {
    while (r < ranges.length && ranges[r]![1] <= i) r++;
    if (r < ranges.length && ranges[r]![0] <= i) {
      i = ranges[r]![1];
      continue;
    }
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const block = text[i + 1] === '*';
      const close = block ? text.indexOf('*/', i + 2) : text.indexOf('\n', i);
      const end = close < 0 ? text.length : block ? close + 2 : close;
      const line = lineOf(i);
      const before = text.slice(starts[line - 1], i);
      out.push({ start: i, end, line, endLine: lineOf(Math.max(i, end - 1)), text: text.slice(i, end).replace(/\s+$/, ''), ownLine: /^\s*$/.test(before), indent: /^\s*$/.test(before) ? before : '' });
      i = end;
      continue;
    }
    i++;
  }
  return out;
}
