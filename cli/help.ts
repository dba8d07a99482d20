// `--help NAME`: the reference entry of one function (a builtin or a macro of
// the standard library), as docs/stdlib.md has it. `-h` alone prints the
// usage, and `-h FILE` a script's options: a NAME that is an existing file is
// a script, as `-l FILE` is.
import { existsSync } from 'node:fs';
import { referenceEntry, referenceEntryText, type Reference } from '../stdlib/index.ts';
import { builtinReference } from './reference.ts';

/** Whether `-h WORD` asks for a function's entry rather than a script's options. */
export function isFunctionTopic(word: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(word) && !existsSync(word);
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** The entry's text, or the error for an unknown name (with the closest names). */
export function functionHelpText(reference: Reference, name: string): { text: string } | { error: string } {
  const entry = referenceEntry(reference, name);
  if (entry) return { text: referenceEntryText(entry) };
  const close = reference.entries
    .map((e) => ({ name: e.name, d: distance(name, e.name) }))
    .filter((e) => e.d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1))
    .slice(0, 3)
    .map((e) => e.name);
  const hint = close.length ? `\nHINT: did you mean ${close.join(', ')}?` : '';
  return { error: `no builtin or standard-library function named '${name}' (and no script file of that name)${hint}` };
}

export async function functionHelp(name: string, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const r = functionHelpText(await builtinReference(), name);
  if ('text' in r) {
    out(r.text);
    return 0;
  }
  err(`ERROR: ${r.error}\n`);
  return 1;
}
