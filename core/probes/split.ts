/**
 * Splits an attach point at top-level `:` (colons inside double quotes stay;
 * the quotes are removed), as upstream does: `uprobe:"/a b":f` -> [uprobe, /a b, f].
 */
export function splitAttachPoint(raw: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of raw) {
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}
