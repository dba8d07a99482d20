// The values by which the C of probes sharing a multi-attach program differs
// (their name and function as strings, their action and error ids as
// integers): each probe's C is cut into its text and these literals, so that
// probes whose text is the same share one function, which reads the literals
// that differ from a table indexed by the link's cookie (multi-attach.ts).

/** A literal of a probe's C that may differ between the probes sharing a function. */
interface Literal {
  /** `((struct bs_str_N){ .s = "..." })`: a string value; else an integer literal. */
  kind: 'string' | 'int';
  /** The C text of the literal as emitted. */
  text: string;
  /** A string's C type (`struct bs_str_69`). */
  ctype?: string;
  /** A string's C string literal (`"uprobe:/bin/x:f"`). */
  quoted?: string;
}

/** One probe's C cut at its literals. */
export interface ParamText {
  /** The text between the literals: one more than `literals`. */
  between: string[];
  literals: Literal[];
  /** What must be the same for two probes to share a function (the literals left out). */
  key: string;
}

// Comments, string values, other string and character literals, identifiers,
// integers, and runs of other characters, in that order of preference.
const TOKEN =
  /(\/\*[\s\S]*?\*\/)|(\(\((struct bs_str_\d+)\)\{ \.s = ("(?:[^"\\\n]|\\.)*") \}\))|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|([A-Za-z_]\w*)|(0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*)|([^"'/(A-Za-z_0-9]+|[/(])/g;

/** Integers that must stay constants where they stand: case labels and array sizes. */
function constantPosition(before: string): boolean {
  return /(\bcase\s*|\[\s*)$/.test(before);
}

/**
 * The probe's C cut at its literals. `functionName` (and names made from it)
 * counts as the same in every probe; `canonical` gives the name under which
 * an identifier counts as the same as others (event structs of one layout).
 */
export function paramText(text: string, functionName: string, canonical: (identifier: string) => string): ParamText {
  const between: string[] = [];
  const literals: Literal[] = [];
  let current: string[] = [];
  const key: string[] = [];
  // Not as the prefix of another name (`bs_probe_12` for `bs_probe_1`).
  const ownName = new RegExp(`${functionName}(?![0-9])`, 'g');
  for (const m of text.matchAll(TOKEN)) {
    const [token, comment, stringValue, ctype, quoted, otherLiteral, identifier, integer] = m;
    if (stringValue !== undefined || (integer !== undefined && !constantPosition(current.slice(-2).join('')))) {
      between.push(current.join(''));
      current = [];
      literals.push(stringValue !== undefined ? { kind: 'string', text: token, ctype, quoted } : { kind: 'int', text: token });
      key.push(stringValue !== undefined ? `\0s:${ctype}\0` : '\0i\0');
      continue;
    }
    current.push(token);
    if (comment !== undefined) key.push(comment.replace(/^\/\* bs_loop \d+ \*\/$/, '/* bs_loop */')); // one script loop: one span whatever its number
    else if (identifier !== undefined) key.push(canonical(identifier.replace(ownName, '__bs_fn')));
    else key.push(otherLiteral ?? token);
  }
  between.push(current.join(''));
  return { between, literals, key: key.join('') };
}

/** The fields of a table of values: the literals read from each, by position, and the field of each literal that differs. */
export interface TableColumns {
  fields: number[];
  fieldOf: Map<number, number>;
}

/** The literals in which the probes differ, one field for those that differ alike (`probe` used twice). */
export function tableColumns(texts: ParamText[]): TableColumns {
  const first = texts[0]!;
  const columns: TableColumns = { fields: [], fieldOf: new Map() };
  const byValues = new Map<string, number>();
  first.literals.forEach((l, i) => {
    if (!texts.some((t) => t.literals[i]!.text !== l.text)) return;
    const values = JSON.stringify(texts.map((t) => t.literals[i]!.text));
    if (!byValues.has(values)) {
      byValues.set(values, columns.fields.length);
      columns.fields.push(i);
    }
    columns.fieldOf.set(i, byValues.get(values)!);
  });
  return columns;
}

/** The C names of a function's table of values (its row struct, the array). */
function tableNames(functionName: string): { row: string; rows: string } {
  return { row: `struct bs_row_${functionName}`, rows: `bs_rows_${functionName}` };
}

/**
 * The declarations of the table of values of the probes sharing function
 * `functionName`: a row per cookie from `firstCookie` (rows of cookies that
 * run another function are left zero), in .rodata (its own section, so the
 * settings stay at the start of `.rodata`).
 */
export function paramTable(functionName: string, { fields: columns }: TableColumns, rowsByCookie: Map<number, ParamText>, firstCookie: number, lastCookie: number): string {
  const { row, rows } = tableNames(functionName);
  const sample = rowsByCookie.values().next().value!;
  const fields = columns.map((c, i) => `  ${sample.literals[c]!.kind === 'string' ? sample.literals[c]!.ctype : '__s64'} p${i};`);
  const lines: string[] = [];
  for (let cookie = firstCookie; cookie <= lastCookie; cookie++) {
    const text = rowsByCookie.get(cookie);
    if (!text) {
      lines.push('  {},');
      continue;
    }
    const values = columns.map((c) => {
      const l = text.literals[c]!;
      return l.kind === 'string' ? `{ .s = ${l.quoted} }` : l.text;
    });
    lines.push(`  { ${values.join(', ')} },`);
  }
  return [
    `${row} {`, ...fields, '};', '',
    `static const ${row} ${rows}[${lastCookie - firstCookie + 1}] SEC(".rodata.bs_rows") = {`, ...lines, '};', '',
  ].join('\n');
}

/**
 * The shared function's C: the first probe's, whose differing literals
 * (`columns`) are read from its row; the row is the one of the cookie the
 * program runs with, less `firstCookie`.
 */
export function paramFunction(text: ParamText, functionName: string, signature: string, { fieldOf: column }: TableColumns, firstCookie: number, rowCount: number): string {
  const { row, rows } = tableNames(functionName);
  let out = text.between[0]!;
  text.literals.forEach((l, i) => {
    const at = column.get(i);
    // A string value is an lvalue as the compound literal was (its address may be taken).
    const value = at === undefined ? l.text : l.kind === 'string' ? `(*(${l.ctype} *)&__bs_row->p${at})` : `__bs_row->p${at}`;
    out += value + text.between[i + 1]!;
  });
  const open = out.indexOf(`${signature}\n{\n`);
  if (open < 0) throw new Error(`internal: ${functionName} has no body to read its values in`);
  const cookie = firstCookie ? `bpf_get_attach_cookie(ctx) - ${firstCookie}` : 'bpf_get_attach_cookie(ctx)';
  const head = [
    `  __u64 __bs_cookie = ${cookie};`,
    `  if (__bs_cookie >= ${rowCount})`,
    '    return 0;',
    `  const ${row} *__bs_row = &${rows}[__bs_cookie];`,
    '',
  ].join('\n');
  const at = open + signature.length + 3;
  return out.slice(0, at) + head + out.slice(at);
}
