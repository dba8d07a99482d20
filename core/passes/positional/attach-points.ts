// `$N` inside an attach point (`i:ms:$1`, `BEG$1`, `$1` alone) is replaced by
// the parameter's text before the attach point is split into its parts, as
// upstream does; inside double quotes a `$` is kept as written.
import { errorAt, type Span } from '../../diagnostics/index.ts';

export function substituteAttachPoint(raw: string, positional: readonly string[], span: Span): string {
  if (!raw.includes('$')) return raw;
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') quoted = !quoted;
    if (quoted && c === '\\' && i + 1 < raw.length) {
      out += c + raw[++i];
      continue;
    }
    if (c !== '$' || quoted) {
      out += c;
      continue;
    }
    const digits = /^[1-9][0-9]*/.exec(raw.slice(i + 1))?.[0];
    if (digits === undefined) {
      const next = raw[i + 1];
      if (next === undefined) throw errorAt(span, 'positional parameter is not valid: a number is expected after $');
      throw errorAt(span, `invalid trailing character for positional param: ${next}. Try quoting this entire part if this is intentional e.g. "$${next}".`);
    }
    out += positional[Number(digits) - 1] ?? '';
    i += digits.length;
  }
  return out;
}
