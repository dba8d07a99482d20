// npm's version ranges, as `engines` fields write them: `^1.2.0`, `~1.2`,
// `>=1.0.0 <2`, `1.x`, `1.2.3 - 1.4`, `*`, alternatives joined by `||`.
// Prerelease tags compare as npm's do only within the same x.y.z; that is
// enough for a version check, which needs no dependency on `semver`.

type Version = [number, number, number, string];

/** `1.2.3-beta.1` -> [1, 2, 3, 'beta.1']; undefined when it is not a version. */
export function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([\w.-]+))?(?:\+[\w.-]+)?$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ''] : undefined;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  if (a[3] === b[3]) return 0;
  if (a[3] === '') return 1;
  if (b[3] === '') return -1;
  return a[3] < b[3] ? -1 : 1;
}

/** A partial version (`1`, `1.2`, `1.x`, `*`): its numbers, undefined from the first wildcard on. */
function partial(text: string): (number | undefined)[] | undefined {
  const m = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([\w.-]+))?(?:\+[\w.-]+)?$/.exec(text);
  if (!m) return undefined;
  const out: (number | undefined)[] = [];
  for (const part of [m[1], m[2], m[3]]) {
    if (part === undefined || /[xX*]/.test(part)) break;
    out.push(Number(part));
  }
  return out;
}

type Comparator = (v: Version) => boolean;

/** Lowest and one-past-highest versions a partial version covers. */
function bounds(p: (number | undefined)[], pre: string): { low: Version; high?: Version } {
  const [a = 0, b = 0, c = 0] = p as number[];
  const low: Version = [a, b, c, pre];
  if (p.length === 0) return { low };
  if (p.length === 1) return { low, high: [a + 1, 0, 0, ''] };
  if (p.length === 2) return { low, high: [a, b + 1, 0, ''] };
  return { low, high: [a, b, c + 1, ''] };
}

function prerelease(text: string): string {
  return /-([\w.-]+)/.exec(text)?.[1] ?? '';
}

/** One comparator (`>=1.2`, `^1.2.3`, `~1`, `1.x`); undefined when it cannot be read. */
function comparator(token: string): Comparator | undefined {
  const m = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(token);
  if (!m) return undefined;
  const op = m[1] ?? '';
  const p = partial(m[2]!);
  if (!p) return undefined;
  const pre = prerelease(m[2]!);
  const { low, high } = bounds(p, pre);
  const full = p.length === 3;
  switch (op) {
    case '>=': return (v) => compare(v, low) >= 0;
    case '>': return full ? (v) => compare(v, low) > 0 : (v) => !high || compare(v, high) >= 0;
    case '<': return (v) => compare(v, low) < 0;
    case '<=': return full ? (v) => compare(v, low) <= 0 : (v) => !high || compare(v, high) < 0;
    case '~': {
      const top: Version = p.length >= 2 ? [low[0], low[1] + 1, 0, ''] : [low[0] + 1, 0, 0, ''];
      return (v) => compare(v, low) >= 0 && compare(v, top) < 0;
    }
    case '^': {
      // The left-most non-zero number may not change (`^0.2.3` is <0.3.0).
      const [a, b] = low;
      const top: Version = a > 0 || p.length < 2 ? [a + 1, 0, 0, ''] : b > 0 || p.length < 3 ? [0, b + 1, 0, ''] : [0, 0, low[2] + 1, ''];
      return (v) => compare(v, low) >= 0 && compare(v, top) < 0;
    }
    default:
      return (v) => compare(v, low) >= 0 && (!high || compare(v, high) < 0);
  }
}

/** Whether `version` is in `range`; undefined when the range cannot be read. */
export function satisfies(version: string, range: string): boolean | undefined {
  const v = parseVersion(version);
  if (!v) return undefined;
  let any = false;
  for (const alternative of range.split('||')) {
    const text = alternative.trim();
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text);
    const tokens = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : text === '' ? ['*'] : text.replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1').split(/\s+/);
    const comparators = tokens.map(comparator);
    if (comparators.some((c) => c === undefined)) return undefined;
    // As npm: a prerelease version satisfies only ranges naming a prerelease of the same x.y.z.
    if (v[3] !== '' && !tokens.some((t) => prerelease(t) !== '' && partial(t.replace(/^[\^~<>=]+/, ''))?.join('.') === v.slice(0, 3).join('.'))) continue;
    if (comparators.every((c) => c!(v))) any = true;
  }
  return any;
}
