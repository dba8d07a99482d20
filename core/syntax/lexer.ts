// The bpftrace lexer: a moo state machine plus a small token pass.
//
// moo states (the stack is moo's push/pop):
//   top    between top-level items. Recognises `#!`, `#...` preprocessor lines,
//          the keywords that open an item (`config =`, `import "`, `macro x`,
//          `fn x`, `let @`), C definitions (`struct`/`union`/`enum`/`typedef`),
//          and otherwise an attach point: one raw `ap` token per attach point.
//          `{` pushes `main` (probe body), `/` pushes `pred` (predicate).
//   hdr    the header of config/import/macro/fn/let items: code tokens; `{`
//          switches to `main` (whose closing `}` pops back to top), `;` pops.
//   main   code inside braces; `{` pushes `main`, `}` pops.
//   pred   a predicate: code tokens, and `/` followed by `{` ends it (pops).
//   sHead/sBody/cNest/tHead  raw C text of struct/union/enum/typedef
//          definitions, brace-balanced through push/pop; merged into one
//          `cdef` token by `tokenize`.
//
// The attach point rule: an attach point ends at whitespace, `,`, `{`, `}`,
// `;` or at a `/` that cannot belong to it. A `/` belongs to the attach point
// only after its first `:` (so `uprobe:/bin/bash:f` is one attach point while
// `BEGIN/1/` is `BEGIN` plus a predicate) and not right after a field made only
// of digits (so `i:s:1/1 < 2/` has a predicate), and never when it starts a
// comment (`//`, `/*`).
//
// `tokenize` then drops whitespace and comments, merges C definitions, decodes
// literals (a bad literal becomes a deferred error, raised when the parser
// reaches it) and applies the cast rule: the `)` of a parenthesised type that
// is followed by the start of an operand becomes a `castclose` token, so the
// grammar tells `(uint8)-1` from `(a) - 1` without ambiguity.
import moo from 'moo';
import type { Span } from '../diagnostics/index.ts';
import { decodeInteger, decodeString, MAX_PARAM } from './literals.ts';
import { BINARY_OPERATORS } from './precedence.ts';

/** A token as the grammar sees it. `text` is the source text; `value` equals it. */
export interface Token {
  type: string;
  value: string;
  text: string;
  offset: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  file: string;
  /** Decoded value of `int` tokens. */
  int?: bigint;
  /** Decoded value of `string` tokens. */
  str?: string;
  /** Tag or typedef name of `cdef` tokens. */
  cname?: string;
  /** Index of `param` tokens (`$3` → 3). */
  index?: number;
  /** A lexical error, raised when the parser reaches this token. */
  error?: { message: string; span: Span };
}

export const KEYWORDS = [
  'if', 'else', 'while', 'for', 'unroll', 'break', 'continue', 'return', 'let', 'import',
  'sizeof', 'offsetof', 'typeinfo', 'typeof', 'comptime', 'true', 'false',
  'struct', 'union', 'enum',
] as const;

/** Builtin type names: lexed as `typename`, never an expression. */
export const TYPE_NAMES = [
  'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
  'bool', 'string', 'buffer', 'void', 'inet',
] as const;

/** Builtins that are values, so `(pid)` never starts a cast (upstream's `is_builtin`, plus classic names). */
const BUILTIN_VALUES = new Set([
  'args', 'ctx', 'kstack', 'ustack', 'nsecs', 'pid', 'tid', 'uid', 'gid', 'comm', 'cpu', 'ncpus',
  'elapsed', 'func', 'probe', 'retval', 'curtask', 'rand', 'cgroup', 'cpid', 'username',
  'jiffies', 'numaid', 'usermode',
]);

function isBuiltinValue(name: string): boolean {
  return BUILTIN_VALUES.has(name) || name.startsWith('__builtin_') || /^s?arg[0-9]+$/.test(name);
}

const ident = /[A-Za-z_][A-Za-z0-9_]*/;

// Rules shared by every code state (hdr, main, pred). Order matters: moo tries them in order.
const ws = { match: /[ \t\r\n\f\v]+/, lineBreaks: true };
const comment = [{ match: /\/\/[^\n]*/ }, { match: /\/\*[\s\S]*?\*\//, lineBreaks: true }];
const badcomment = { match: /\/\*[\s\S]*/, lineBreaks: true };
const invalid = { match: /[\s\S]/, lineBreaks: true };
const code: moo.Rules = {
  string: /"(?:[^"\\\n]|\\[^\n])*"/,
  badstring: /"(?:[^"\\\n]|\\[^\n])*\\?/,
  int: /[0-9][0-9A-Za-z_]*/,
  paramcount: /\$#/,
  param: /\$[0-9]+/,
  variable: /\$[A-Za-z_][A-Za-z0-9_]*/,
  map: /@[A-Za-z_][A-Za-z0-9_]*|@/,
  ident: { match: ident, type: moo.keywords({ kw: [...KEYWORDS], typename: [...TYPE_NAMES] }) },
  lparen: '(',
  rparen: ')',
  semi: ';',
  op: [
    '<<=', '>>=', '==', '!=', '<=', '>=', '<<', '>>', '&&', '||', '++', '--',
    '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '->', '..',
    '?', ':', ',', '.', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '!', '~', '[', ']',
  ],
};

// Attach point text (see the header comment for the `/` rule).
const Q = String.raw`"(?:[^"\\\n]|\\[^\n])*"`;
const C = String.raw`[^\s,{}/;:"]`;
const SL = String.raw`\/(?![\/*])`;
const AP = new RegExp(String.raw`(?:${Q}|${C})+(?::(?:\d+(?=\/)|(?!\d+\/)(?:${Q}|${C}|${SL})*))*`);

// Raw C text inside definitions: strings, char literals and comments are skipped whole.
const cText = {
  cstr: /"(?:[^"\\\n]|\\[\s\S])*"|'(?:[^'\\\n]|\\[\s\S])*'/,
  ccomment: [{ match: /\/\/[^\n]*/ }, { match: /\/\*[\s\S]*?\*\//, lineBreaks: true }],
  ctext: { match: /[^{}"';/]+|[/"']/, lineBreaks: true },
};
// The closing brace of a struct/union/enum, with trailing `__attribute__((...))`s and `;`,
// comments allowed between them.
const cGap = String.raw`(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*\n)*`;
const structEnd = new RegExp(String.raw`\}(?:${cGap}__attribute__${cGap}\(\((?:[^()]|\([^()]*\))*\)\))*(?:${cGap};)?`);

// Built on the first tokenize: moo compiles every state's rules into one
// regular expression, work a run whose parses all come from the parse cache
// (core/session/parse-cache.ts) never needs (~2-4 ms of every warm start).
let machine: moo.Lexer | undefined;
function lexerMachine(): moo.Lexer {
  return (machine ??= buildMachine());
}

function buildMachine(): moo.Lexer {
  return moo.states(
    {
      top: {
        ws,
        comment,
        badcomment,
        shebang: /#![^\n]*/,
        preproc: { match: /#(?:[^\n\\]|\\[\s\S])*/, lineBreaks: true },
        kw: {
          match:
            /config(?=[ \t\r\n]*=)|import(?=[ \t\r\n]*")|macro(?=[ \t\r\n]+[A-Za-z_])|fn(?=[ \t\r\n]+[A-Za-z_])|let(?=[ \t\r\n]*@)/,
          push: 'hdr',
        },
        cdef_start: { match: /(?:struct|union|enum)(?![A-Za-z0-9_])/, push: 'sHead' },
        cdef_tstart: { match: /typedef(?![A-Za-z0-9_])/, push: 'tHead' },
        ap: AP,
        comma: ',',
        predstart: { match: '/', push: 'pred' },
        lbrace: { match: '{', push: 'main' },
        rbrace: '}',
        semi: ';',
        invalid,
      },
      hdr: {
        ws,
        comment,
        badcomment,
        ...code,
        lbrace: { match: '{', next: 'main' },
        rbrace: '}',
        semi: { match: ';', pop: 1 },
        invalid,
      },
      main: {
        ws,
        comment,
        badcomment,
        ...code,
        lbrace: { match: '{', push: 'main' },
        rbrace: { match: '}', pop: 1 },
        invalid,
      },
      pred: {
        ws,
        comment,
        badcomment,
        endpred: { match: /\/(?=(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*\{)/, pop: 1 },
        ...code,
        lbrace: { match: '{', push: 'main' },
        rbrace: '}',
        invalid,
      },
      sHead: {
        ...cText,
        cdef_end: { match: ';', pop: 1 },
        cdef_open: { match: '{', next: 'sBody' },
        cdef_stray: '}',
      },
      sBody: {
        ...cText,
        cdef_open: { match: '{', push: 'cNest' },
        cdef_end: { match: structEnd, lineBreaks: true, pop: 1 },
        cdef_semi: ';',
      },
      cNest: {
        ...cText,
        cdef_open: { match: '{', push: 'cNest' },
        cdef_close: { match: '}', pop: 1 },
        cdef_semi: ';',
      },
      tHead: {
        ...cText,
        cdef_open: { match: '{', push: 'cNest' },
        cdef_end: { match: ';', pop: 1 },
        cdef_stray: '}',
      },
    },
    'top',
  );
}

/** Every token type the grammar may name with `%type`. */
export const TOKEN_TYPES = new Set([
  'shebang', 'preproc', 'cdef', 'kw', 'typename', 'ident', 'ap', 'comma', 'predstart', 'endpred',
  'lbrace', 'rbrace', 'semi', 'lparen', 'rparen', 'castclose', 'op', 'string', 'int', 'param',
  'paramcount', 'variable', 'map', 'error',
]);

/** A token class matched by test, with how error messages name it. */
export interface Matcher {
  test: (t: Token) => boolean;
  /** Shown in "expecting ..." lists. */
  display: string;
  /** Only extends what came before (left out of "expecting" when a closer is possible). */
  continuation: boolean;
}

function opClass(ops: readonly string[], display: string, continuation: boolean): Matcher {
  const set = new Set(ops);
  return { test: (t) => t.type === 'op' && set.has(t.text), display, continuation };
}

/** The grammar's token classes (see grammar.ne). */
export const matchers = {
  binop: opClass(BINARY_OPERATORS, 'operator', true),
  prefixop: opClass(['-', '!', '~', '*', '&'], 'unary operator', false),
  assignop: opClass(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>='], '=', true),
  updateop: opClass(['++', '--'], '++', true),
  atom: {
    test: (t: Token) =>
      t.type === 'int' || t.type === 'string' || t.type === 'variable' || t.type === 'param' || t.type === 'paramcount' ||
      (t.type === 'kw' && (t.text === 'true' || t.text === 'false')),
    display: 'operand',
    continuation: false,
  } as Matcher,
};

/**
 * The lexer object named by the grammar's `@lexer`: it only answers `has`
 * (which `%type` names are token types). Parsing feeds tokens through
 * `TokenStream` (parser.ts passes one per parse).
 */
export const lexer = {
  has: (type: string): boolean => TOKEN_TYPES.has(type),
  reset: (_chunk: string, _info: unknown): void => {},
  next: (): Token | undefined => undefined,
  save: (): unknown => ({}),
  formatError: (_token: never): string => '',
};

/** Feeds a token array to nearley. A token carrying an error is thrown when reached. */
export class TokenStream {
  private i = 0;
  /** The lexical error thrown when the parser reached a bad token. */
  pending: { message: string; span: Span } | undefined;
  constructor(readonly tokens: Token[]) {}
  reset(_chunk: string, _info: unknown): void {
    this.i = 0;
  }
  next(): Token | undefined {
    const t = this.tokens[this.i];
    if (!t) return undefined;
    if (t.error) {
      this.pending = t.error;
      throw new Error(t.error.message);
    }
    this.i++;
    return t;
  }
  save(): unknown {
    return {};
  }
  formatError(_token: never): string {
    return '';
  }
  has(type: string): boolean {
    return TOKEN_TYPES.has(type);
  }
}

// ---------------------------------------------------------------- tokenize

function endOf(text: string, line: number, col: number): { endLine: number; endCol: number } {
  const nl = text.lastIndexOf('\n');
  if (nl < 0) return { endLine: line, endCol: col + text.length };
  let lines = 0;
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lines++;
  return { endLine: line + lines, endCol: text.length - nl };
}

/** The span of `text.slice(start, end)` inside token `t` (single-line tokens). */
function subSpan(t: Token, start: number, end: number): Span {
  return { file: t.file, line: t.line, col: t.col + start, endLine: t.line, endCol: t.col + end };
}

function tokSpan(t: Token): Span {
  return { file: t.file, line: t.line, col: t.col, endLine: t.endLine, endCol: t.endCol };
}

/** Tag name or typedef name of a C definition, when it has one. */
function cdefName(keyword: string, text: string): string | undefined {
  if (keyword !== 'typedef') {
    const m = /^(?:struct|union|enum)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(text);
    return m?.[1];
  }
  // Drop braced bodies, comments and array bounds, then take the function-pointer
  // name `(*name)` or the last identifier.
  let flat = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ');
  let prev;
  do {
    prev = flat;
    flat = flat.replace(/\{[^{}]*\}/g, ' ');
  } while (flat !== prev);
  const fp = /\(\s*\*\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)/.exec(flat);
  if (fp) return fp[1];
  flat = flat.replace(/\[[^\]]*\]/g, ' ').replace(/__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)/g, ' ');
  const ids = flat.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  const name = ids[ids.length - 1];
  return name === 'typedef' ? undefined : name;
}

/** Tokens that can begin an operand: what may follow the `)` of a cast. */
function startsOperand(t: Token | undefined): boolean {
  if (!t) return false;
  switch (t.type) {
    case 'int':
    case 'string':
    case 'variable':
    case 'map':
    case 'param':
    case 'paramcount':
    case 'ident':
    case 'lparen':
      return true;
    case 'kw':
      return ['if', 'sizeof', 'offsetof', 'typeinfo', 'true', 'false'].includes(t.text);
    case 'op':
      return ['-', '!', '~', '*', '&', '++', '--'].includes(t.text);
    default:
      return false;
  }
}

/** Operand starts that are also binary operators (or postfix updates): `(x) - 1` stays arithmetic for a plain name. */
function ambiguousStart(t: Token): boolean {
  return t.type === 'op' && ['-', '*', '&', '++', '--'].includes(t.text);
}

/** Tokens before `(` that make it a call or a built-in form, never a cast. */
function isCallee(t: Token | undefined): boolean {
  if (!t) return false;
  if (t.type === 'ident' || t.type === 'typename') return true;
  return t.type === 'kw' && ['sizeof', 'offsetof', 'typeinfo', 'typeof'].includes(t.text);
}

/**
 * Applies the cast rule to the `(` at `open` whose `)` is at `close`: the
 * tokens between must form a type, and the token after `)` must start an
 * operand. Types: a builtin type name, `struct|union|enum X`, `typeof(...)`,
 * or a name; then `*` and `[N]` suffixes. A plain name (no `*`) that is a
 * builtin value never casts, and one followed by `- * & ++ --` casts only when
 * it ends in `_t` (`(pid_t)-1`), so `(MAX) - 1` stays a subtraction.
 */
function isCast(toks: Token[], open: number, close: number): boolean {
  if (isCallee(toks[open - 1])) return false;
  let i = open + 1;
  const head = toks[i];
  if (!head) return false;
  let plainName = false;
  if (head.type === 'typename') {
    i++;
  } else if (head.type === 'kw' && (head.text === 'struct' || head.text === 'union' || head.text === 'enum')) {
    if (toks[i + 1]?.type !== 'ident') return false;
    i += 2;
  } else if (head.type === 'kw' && head.text === 'typeof') {
    if (toks[i + 1]?.type !== 'lparen') return false;
    let depth = 0;
    i++;
    for (; i < close; i++) {
      const t = toks[i]!;
      if (t.type === 'lparen') depth++;
      else if (t.type === 'rparen' || t.type === 'castclose') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (i >= close) return false;
    i++;
  } else if (head.type === 'ident') {
    plainName = true;
    i++;
  } else {
    return false;
  }
  let pointer = false;
  while (i < close) {
    const t = toks[i]!;
    if (t.type === 'op' && t.text === '*') {
      pointer = true;
      i++;
    } else if (t.type === 'op' && t.text === '[') {
      if (toks[i + 1]?.type === 'int' && toks[i + 2]?.text === ']') i += 3;
      else if (toks[i + 1]?.text === ']') i += 2;
      else return false;
    } else {
      return false;
    }
  }
  const after = toks[close + 1];
  if (!startsOperand(after)) return false;
  if (plainName && !pointer) {
    const name = head.text;
    if (isBuiltinValue(name)) return false;
    if (ambiguousStart(after!) && !name.endsWith('_t')) return false;
  }
  return true;
}

const C_TYPES = new Set(['cstr', 'ctext', 'cdef_end', 'cdef_open', 'cdef_close', 'cdef_semi', 'cdef_stray']);

/** Lexes `text` into the tokens the grammar consumes. Never throws: problems become error tokens. */
export function tokenize(text: string, file: string): Token[] {
  const raw: Token[] = [];
  const machine = lexerMachine();
  machine.reset(text);
  for (;;) {
    let m: moo.Token | undefined;
    try {
      m = machine.next();
    } catch {
      break; // unreachable: every state ends with a catch-all rule
    }
    if (!m) break;
    const type = m.type ?? 'invalid';
    if (type === 'ws' || type === 'comment' || type === 'ccomment') continue;
    raw.push({ type, value: m.text, text: m.text, offset: m.offset, line: m.line, col: m.col, file, ...endOf(m.text, m.line, m.col) });
  }

  // Merge C definitions, classify errors, decode literals.
  const toks: Token[] = [];
  for (let k = 0; k < raw.length; k++) {
    const t = raw[k]!;
    switch (t.type) {
      case 'cdef_start':
      case 'cdef_tstart': {
        let last = t;
        let closed = false;
        while (k + 1 < raw.length && C_TYPES.has(raw[k + 1]!.type)) {
          last = raw[++k]!;
          if (last.type === 'cdef_end') {
            closed = true;
            break;
          }
        }
        const body = text.slice(t.offset, last.offset + last.text.length).replace(/\s+$/, '');
        const merged: Token = { ...t, type: 'cdef', text: body, value: body, ...endOf(body, t.line, t.col) };
        const name = cdefName(t.text, body);
        if (name !== undefined) merged.cname = name;
        if (!closed) merged.error = { message: 'unterminated C definition', span: tokSpan(t) };
        toks.push(merged);
        break;
      }
      case 'shebang':
        toks.push(t.offset === 0 ? t : { ...t, type: 'preproc' });
        break;
      case 'badstring':
        toks.push({ ...t, type: 'error', error: { message: 'unterminated string', span: tokSpan(t) } });
        break;
      case 'badcomment':
        toks.push({ ...t, type: 'error', error: { message: 'unterminated comment', span: subSpan(t, 0, 2) } });
        break;
      case 'invalid':
        toks.push({ ...t, type: 'error', error: { message: `invalid character '${t.text}'`, span: tokSpan(t) } });
        break;
      case 'int': {
        const d = decodeInteger(t.text);
        if (d.ok) toks.push({ ...t, int: d.value });
        else toks.push({ ...t, error: { message: d.error.message, span: subSpan(t, d.error.start, d.error.end) } });
        break;
      }
      case 'string': {
        const d = decodeString(t.text);
        if (d.ok) toks.push({ ...t, str: d.value });
        else toks.push({ ...t, error: { message: d.error.message, span: subSpan(t, d.error.start, d.error.end) } });
        break;
      }
      case 'param': {
        const n = BigInt(t.text.slice(1));
        if (n < 1n || n > MAX_PARAM) {
          toks.push({ ...t, error: { message: `param ${t.text} is out of integer range [1, ${MAX_PARAM}]`, span: tokSpan(t) } });
        } else {
          toks.push({ ...t, index: Number(n) });
        }
        break;
      }
      default:
        toks.push(t);
    }
  }

  // The cast rule.
  const opens: number[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.type === 'lparen') opens.push(k);
    else if (t.type === 'rparen') {
      const open = opens.pop();
      if (open !== undefined && isCast(toks, open, k)) toks[k] = { ...t, type: 'castclose' };
    }
  }
  return toks;
}
