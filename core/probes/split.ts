/**
 * Splits an attach point at top-level `:` (colons inside double quotes stay;
 * the quotes are removed, and inside them `\x` stands for `x`), as upstream
 * does: `uprobe:"/a b":f` -> [uprobe, /a b, f]; `usdt:bin:p:"\"x\""` -> [usdt, bin, p, "x"].
 */
export function splitAttachPoint(raw: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') quoted = !quoted;
    else if (quoted && c === '\\' && i + 1 < raw.length) cur += raw[++i];
    else if (c === ':' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}
