// Shell-style globs (`*`, `?`, `[abc]`, `[a-z]`, `[^a]`) as bpftrace matches
// probe names. Matched by hand rather than through a RegExp: a glob is user
// text, and as a pattern it could be too large to compile (a 200,000-letter
// probe name) or take exponential time (`*a*a*a*a*a*b`). This matcher takes
// at most |glob| × |name| steps.

/** One position of a glob. */
type Part =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; code: number }
  | { kind: 'class'; negate: boolean; ranges: [number, number][] };

export interface GlobMatcher {
  /** Whether the whole of `name` matches. */
  test(name: string): boolean;
}

/**
 * A class's text between `[` and `]`: a leading `^` negates, `a-z` is a range
 * (an inverted one matches nothing), anything else stands for itself.
 */
function parseClass(text: string): Part {
  const negate = text.startsWith('^');
  const body = negate ? text.slice(1) : text;
  const ranges: [number, number][] = [];
  for (let i = 0; i < body.length; i++) {
    const lo = body.charCodeAt(i);
    if (body[i + 1] === '-' && i + 2 < body.length) {
      ranges.push([lo, body.charCodeAt(i + 2)]);
      i += 2;
    } else ranges.push([lo, lo]);
  }
  return { kind: 'class', negate, ranges };
}

function parseGlob(glob: string, starOnly: boolean): Part[] {
  const parts: Part[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      // `**` is `*`.
      if (parts[parts.length - 1]?.kind !== 'star') parts.push({ kind: 'star' });
    } else if (c === '?' && !starOnly) parts.push({ kind: 'any' });
    else if (c === '[' && !starOnly && glob.indexOf(']', i + 1) >= 0) {
      const end = glob.indexOf(']', i + 1);
      parts.push(parseClass(glob.slice(i + 1, end)));
      i = end;
    } else parts.push({ kind: 'char', code: glob.charCodeAt(i) });
  }
  return parts;
}

function matchesOne(p: Part, code: number): boolean {
  switch (p.kind) {
    case 'any':
      return true;
    case 'char':
      return p.code === code;
    case 'class':
      return p.ranges.some(([lo, hi]) => code >= lo && code <= hi) !== p.negate;
    case 'star':
      return false;
  }
}

/**
 * Whether `name` matches: one pass, going back only to just after the last
 * `*` (which then takes one more character), as a `*` never needs to undo an
 * earlier `*`'s choice.
 */
function matches(parts: Part[], name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let starName = 0;
  while (n < name.length) {
    const part = parts[p];
    if (part?.kind === 'star') {
      star = p++;
      starName = n;
    } else if (part && matchesOne(part, name.charCodeAt(n))) {
      p++;
      n++;
    } else if (star >= 0) {
      p = star + 1;
      n = ++starName;
    } else return false;
  }
  while (parts[p]?.kind === 'star') p++;
  return p === parts.length;
}

/** A matcher for a shell-style glob. */
export function globMatcher(glob: string): GlobMatcher {
  const parts = parseGlob(glob, false);
  return { test: (name) => matches(parts, name) };
}

/** A matcher where only `*` is a wildcard (`bpfscript -l PATTERN`); `?` and `[` stand for themselves. */
export function starMatcher(pattern: string): GlobMatcher {
  const parts = parseGlob(pattern, true);
  return { test: (name) => matches(parts, name) };
}

export function hasWildcard(s: string): boolean {
  return /[*?[]/.test(s);
}
