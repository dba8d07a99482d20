// Generated fuzz cases: mutations of the project's own scripts (tests/scripts,
// tools/*.bt, the codegen golden programs), from a fixed seed so a run is
// reproducible. Each mutation aims at one way a compiler breaks on hostile
// input: deep nesting, long chains and repetition, huge literals and names,
// truncation, and random token damage.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface FuzzSeed {
  name: string;
  text: string;
}

export interface FuzzCase {
  /** The seed, the mutation and its parameters: enough to find the case again. */
  name: string;
  text: string;
}

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function btFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...btFiles(path));
    else if (entry.endsWith('.bt')) out.push(path);
  }
  return out;
}

/** The scripts mutations start from. */
export function fuzzSeeds(repoRoot: string): FuzzSeed[] {
  const dirs = ['tests/scripts', 'tools', 'tests/core/codegen/golden'].map((d) => join(repoRoot, d));
  return dirs.flatMap(btFiles).map((path) => ({ name: relative(repoRoot, path), text: readFileSync(path, 'utf8') }));
}

type Random = () => number;

function pick<T>(r: Random, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

function int(r: Random, below: number): number {
  return Math.floor(r() * below);
}

/** Rough tokens (words, numbers, strings, punctuation, spaces): enough to cut and splice at. */
function tokens(text: string): string[] {
  return text.match(/\s+|[A-Za-z_$@][\w$@]*|\d+|"(?:\\.|[^"\\\n])*"|\/\/[^\n]*|./g) ?? [];
}

/** Indexes in `text` just after each `;` or `{` (where a statement may start or be inserted). */
function statementStarts(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === ';' || text[i] === '{') out.push(i + 1);
  return out;
}

/** A statement `text[start, end)` (from after a `;`/`{` to the next `;`), if one follows `start`. */
function statementAt(text: string, start: number): [number, number] | undefined {
  const end = text.indexOf(';', start);
  if (end < 0 || /[{}]/.test(text.slice(start, end))) return undefined;
  return [start, end + 1];
}

/** The right-hand side of a random `x = expr;`. */
function assignedExpression(r: Random, text: string): [number, number] | undefined {
  const found = [...text.matchAll(/[$@][\w]*(?:\[[^\]\n]*\])?\s*=\s*([^;{}\n]+);/g)];
  if (found.length === 0) return undefined;
  const m = pick(r, found);
  const start = m.index! + m[0].length - 1 - m[1]!.length;
  return [start, start + m[1]!.length];
}

function splice(text: string, [start, end]: [number, number], replacement: string): string {
  return text.slice(0, start) + replacement + text.slice(end);
}

/** Repetition stops at about this many characters: more is no new case, only a slower one (the lexer takes ~5 µs a token). */
const MAX_TEXT = 300_000;

/** Sizes from the ordinary to the absurd, around the documented limits (nesting 64, unroll 100). */
const DEPTHS = [3, 20, 63, 64, 65, 100, 1000, 5000];
const LENGTHS = [10, 63, 64, 200, 511, 1100, 10_000, 100_000];

const VOCABULARY = [
  '{', '}', '(', ')', '[', ']', ';', ',', '.', '->', '=', '==', '+', '-', '*', '/', '!', '&', '|', '?', ':', '..',
  '++', '--', '$x', '@m', '@m[1]', '$1', '$#', 'if', 'else', 'while', 'unroll', 'for', 'return', 'break', 'let',
  'comptime', 'macro', 'import', 'config', 'struct', 'sizeof', 'typeof', 'uint8', 'string', 'int64*', 'pid', 'comm',
  'args', 'curtask', 'retval', 'printf("%d\\n", 1)', 'count()', 'hist(1)', 'str(0)', '"s"', '0', '-1', '0xffffffffffffffff',
  'begin', 'end', 'interval:s:1', 'tracepoint:syscalls:sys_enter_*', '\n', ' ',
];

type Mutation = (r: Random, text: string) => [label: string, text: string] | undefined;

const mutations: Record<string, Mutation> = {
  nestBlocks(r, text) {
    const at = statementAt(text, pick(r, statementStarts(text)) ?? 0);
    if (!at) return undefined;
    const n = pick(r, DEPTHS);
    return [`blocks×${n}`, splice(text, at, '{'.repeat(n) + text.slice(...at) + '}'.repeat(n))];
  },
  nestIf(r, text) {
    const at = statementAt(text, pick(r, statementStarts(text)) ?? 0);
    if (!at) return undefined;
    const n = pick(r, DEPTHS);
    const head = pick(r, ['if (1) {', 'if (pid) { 1; ', 'while (0) {', 'unroll(2) {', 'unroll(100) {']);
    return [`${head}×${n}`, splice(text, at, head.repeat(n) + text.slice(...at) + '}'.repeat(n))];
  },
  nestExpression(r, text) {
    const at = assignedExpression(r, text);
    if (!at) return undefined;
    const n = pick(r, DEPTHS);
    const e = text.slice(...at);
    const [label, wrapped] = pick(r, [
      ['!', '!'.repeat(n) + e],
      ['*', '*'.repeat(n) + e],
      ['()', '('.repeat(n) + e + ')'.repeat(n)],
      ['cast', '(uint64)'.repeat(n) + e],
      ['?:', '1 ? '.repeat(n) + e + ' : 0'.repeat(n)],
      ['call', 'abs('.repeat(n) + e + ')'.repeat(n)],
      ['tuple', '(1, '.repeat(n) + e + ')'.repeat(n)],
      ['block', '{ '.repeat(n) + e + ' }'.repeat(n)],
      ['.a', e + '.a'.repeat(n)],
      ['->parent', 'curtask' + '->parent'.repeat(n) + '->pid'],
      ['[0]', e + '[0]'.repeat(n)],
      ['@m[', '@m['.repeat(n) + e + ']'.repeat(n)],
    ] as const);
    return [`${label}×${n}`, splice(text, at, wrapped)];
  },
  chain(r, text) {
    const at = assignedExpression(r, text);
    if (!at) return undefined;
    const n = pick(r, [10, 63, 64, 65, 1000, 20_000]);
    const op = pick(r, ['+', '||', '*', '<<', '==']);
    return [`${op}-chain×${n}`, splice(text, at, Array(n).fill('1').join(` ${op} `))];
  },
  nestMacro(r, text) {
    const at = assignedExpression(r, text);
    if (!at) return undefined;
    const n = pick(r, DEPTHS);
    const def = pick(r, ['macro fz(x) { x + 1 }\n', 'macro fz(x) { x }\n', 'macro fz(x) { { { x } } }\n', 'macro fz(x) { let $v = x; $v }\n']);
    const body = splice(text, at, 'fz('.repeat(n) + text.slice(...at) + ')'.repeat(n));
    const first = body.search(/^[A-Za-z][\w:*]*[\s,]*[/{]/m);
    if (first < 0) return undefined;
    return [`macro×${n}`, body.slice(0, first) + def + body.slice(first)];
  },
  repeatLine(r, text) {
    const lines = text.split('\n');
    const i = int(r, lines.length);
    const n = Math.min(pick(r, [2, 10, 100, 1000]), Math.max(2, Math.floor(MAX_TEXT / (lines[i]!.length + 1))));
    return [`line ${i + 1}×${n}`, [...lines.slice(0, i), ...Array(n).fill(lines[i]), ...lines.slice(i + 1)].join('\n')];
  },
  repeatScript(r, text) {
    const n = Math.min(pick(r, [2, 5, 50]), Math.max(2, Math.floor(MAX_TEXT / (text.length + 1))));
    return [`script×${n}`, Array(n).fill(text).join('\n')];
  },
  hugeString(r, text) {
    const found = [...text.matchAll(/"(?:\\.|[^"\\\n])*"/g)];
    const n = pick(r, LENGTHS);
    if (found.length === 0 || r() < 0.4) {
      const at = pick(r, statementStarts(text));
      if (at === undefined) return undefined;
      const stmt = pick(r, [`@fz["${'k'.repeat(n)}"] = 1;`, `$fz = "${'s'.repeat(n)}"; printf("%s\\n", $fz);`, `printf("%s\\n", "${'p'.repeat(n)}");`]);
      return [`inserted string ${n}`, text.slice(0, at) + stmt + text.slice(at)];
    }
    const m = pick(r, found);
    return [`string ${n}`, splice(text, [m.index!, m.index! + m[0].length], `"${'x'.repeat(n)}"`)];
  },
  hugeInteger(r, text) {
    const found = [...text.matchAll(/\b\d+\b/g)];
    if (found.length === 0) return undefined;
    const m = pick(r, found);
    const n = pick(r, [20, 21, 1000]);
    return [`integer of ${n} digits`, splice(text, [m.index!, m.index! + m[0].length], '9'.repeat(n))];
  },
  hugeName(r, text) {
    const found = [...text.matchAll(/[$@]?[A-Za-z_][\w]*(?::[\w*]+)*/g)];
    if (found.length === 0) return undefined;
    const m = pick(r, found);
    const n = pick(r, [64, 1000, 200_000]);
    return [`name ${m[0].slice(0, 20)} +${n}`, splice(text, [m.index!, m.index! + m[0].length], m[0] + 'n'.repeat(n))];
  },
  wildcard(r, text) {
    const found = [...text.matchAll(/\b(tracepoint|t|kprobe|uprobe|rawtracepoint|interval|profile):[^\s,{/]*/g)];
    if (found.length === 0) return undefined;
    const m = pick(r, found);
    const glob = pick(r, ['*', '*a*a*a*a*a*a*a*a*a*a*a*a*b', '[z-a]*', '[', '?*?*?*?', '*'.repeat(1000) + 'x', 'sys_enter_[^a]*']);
    return [`attach point ${glob.slice(0, 30)}`, splice(text, [m.index!, m.index! + m[0].length], `${m[1]}:syscalls:${glob}`)];
  },
  truncate(r, text) {
    const at = int(r, text.length);
    return [`cut at ${at}`, text.slice(0, at)];
  },
  tokens(r, text) {
    const toks = tokens(text);
    const edits = 1 + int(r, 4);
    const done: string[] = [];
    for (let k = 0; k < edits && toks.length > 0; k++) {
      const i = int(r, toks.length);
      const kind = pick(r, ['insert', 'delete', 'duplicate', 'swap', 'replace'] as const);
      done.push(`${kind}@${i}`);
      if (kind === 'insert') toks.splice(i, 0, pick(r, VOCABULARY));
      else if (kind === 'delete') toks.splice(i, 1);
      else if (kind === 'duplicate') toks.splice(i, 0, toks[i]!);
      else if (kind === 'replace') toks[i] = pick(r, VOCABULARY);
      else {
        const j = int(r, toks.length);
        [toks[i], toks[j]] = [toks[j]!, toks[i]!];
      }
    }
    return [`tokens ${done.join(',')}`, toks.join('')];
  },
};

const names = Object.keys(mutations);

/** `count` cases from the seeds, `seed` fixing every choice; each applies one or two mutations. */
export function fuzzCases(seeds: readonly FuzzSeed[], count: number, seed: number): FuzzCase[] {
  const r = rng(seed);
  const out: FuzzCase[] = [];
  while (out.length < count) {
    const base = pick(r, seeds);
    let text = base.text;
    const labels: string[] = [];
    const rounds = r() < 0.2 ? 2 : 1;
    for (let k = 0; k < rounds; k++) {
      const name = names[(out.length + k) % names.length]!;
      const made = mutations[name]!(r, text) ?? mutations.tokens!(r, text)!;
      labels.push(`${name} ${made[0]}`);
      text = made[1];
    }
    out.push({ name: `#${out.length} ${base.name}: ${labels.join(' + ')}`, text });
  }
  return out;
}
