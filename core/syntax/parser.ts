// parse(): text → Program. Lexes with lexer.ts, parses with the nearley
// grammar (grammar.ne, compiled by `npm run grammar`), and turns every failure
// into a located CompileError with a bison-style message:
//   syntax error, unexpected X[, expecting A or B or C]
// (bison lists the expected tokens only when there are at most four).
import nearley from 'nearley';
import type { Span } from '../diagnostics/index.ts';
import { CompileError, errorAt } from '../diagnostics/index.ts';
import type { Program, TopLevel } from './ast.ts';
import type { ProgramBody } from './build.ts';
import { seqItems } from './sequences.ts';
import { measureParsed } from './nesting.ts';
import grammar from './grammar.generated.ts';
import { TokenStream, tokenize, type Token } from './lexer.ts';

// Made on the first parse, like the lexer: a run whose parses come from the parse cache needs neither.
let compiled: nearley.Grammar | undefined;
function compiledGrammar(): nearley.Grammar {
  if (compiled) return compiled;
  compiled = nearley.Grammar.fromCompiled(grammar as unknown as nearley.CompiledRules);
  // Every node is measured as it is built: a construct nesting too deep stops the parse at once.
  for (const rule of compiled.rules) {
    const build = rule.postprocess;
    if (!build) continue;
    rule.postprocess = (d, at, reject) => {
      const result = build(d, at, reject);
      if (result !== reject) measureParsed(result);
      return result;
    };
  }
  return compiled;
}

/** How bison names each token type in messages. */
const TYPE_NAMES: Record<string, string> = {
  ident: 'identifier',
  typename: 'builtin type',
  int: 'integer',
  string: 'string',
  variable: 'variable',
  map: 'map',
  param: 'positional parameter',
  paramcount: '$#',
  ap: 'attach point',
  preproc: 'preprocessor directive',
  shebang: 'preprocessor directive',
  cdef: 'C definition',
  predstart: '/',
  endpred: 'end predicate',
  rparen: ')',
  castclose: ')',
  kw: 'keyword',
  error: 'invalid token',
};

function describe(t: Token): string {
  switch (t.type) {
    case 'ident':
    case 'typename':
    case 'int':
    case 'string':
    case 'variable':
    case 'map':
    case 'param':
    case 'ap':
    case 'preproc':
    case 'shebang':
    case 'cdef':
    case 'endpred':
      return TYPE_NAMES[t.type]!;
    default:
      return t.text;
  }
}

/** A grammar terminal: a literal, a token type, or a lexer.ts Matcher. */
interface Symbol {
  literal?: string;
  type?: string;
  display?: string;
  continuation?: boolean;
}

/**
 * Display order of expected tokens: bison lists them in token declaration
 * order, which upstream's parser.yy starts with these punctuation tokens.
 */
const ORDER = [
  'end of file', ':', ';', '{', '}', '[', ']', '(', ')', '?', 'end predicate', ',', '$#', '=', '==', '!=', '<=',
  '>=', '<<', '>>', '<', '>', '&&', '||', '+', '++', '<<=', '>>=', '+=', '-=', '*=', '/=', '%=', '&=', '|=',
  '^=', '-', '--', '*', '/', '%', '&', '|', '^', '!', '~', '.', '->', '..', 'struct', 'union', 'enum',
  'builtin type', 'identifier', 'attach point', 'preprocessor directive', 'C definition', 'string', 'map',
  'variable', 'positional parameter', 'integer',
];
const RANK = new Map(ORDER.map((s, i) => [s, i]));

/** Tokens that only continue what came before (operators, postfix, calls, assignment). */
const CONTINUATIONS = new Set([
  '||', '&&', '|', '^', '&', '==', '!=', '<', '<=', '>', '>=', '<<', '>>', '+', '-', '*', '/', '%',
  '?', '.', '->', '[', '++', '--', '(', '..',
  '=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=',
]);
/** Tokens that close or separate a construct. */
const CLOSERS = new Set([';', '}', ')', ']', ',', ':', '{', 'end predicate']);

/**
 * Terminals the parser could have accepted before the failing token. Like
 * bison's default reductions, when something complete could be closed here
 * (a closer is expected), the tokens that would only extend it are left out:
 * `$x = 1 $y` expects `;` or `}`, not every binary operator.
 */
function expected(parser: nearley.Parser): string[] {
  const table = (parser as unknown as { table: { states: { rule: { symbols: unknown[] }; dot: number }[] }[] }).table;
  const column = table[parser.current];
  if (!column) return [];
  // display text → whether every symbol shown so is a continuation
  const seen = new Map<string, boolean>();
  for (const st of column.states) {
    const sym = st.rule.symbols[st.dot];
    if (!sym || typeof sym === 'string') continue;
    const s = sym as Symbol;
    const text = s.literal ?? s.display ?? TYPE_NAMES[s.type ?? ''] ?? s.type ?? '?';
    const cont = s.continuation ?? (s.literal !== undefined && CONTINUATIONS.has(s.literal));
    seen.set(text, (seen.get(text) ?? true) && cont);
  }
  let out = [...seen.keys()];
  if (out.some((e) => CLOSERS.has(e))) out = out.filter((e) => !seen.get(e));
  const rank = (e: string): number => RANK.get(e) ?? ORDER.length;
  return out.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Whether a terminal of token type `type` could have come next. */
function expectsType(parser: nearley.Parser, type: string): boolean {
  const table = (parser as unknown as { table: { states: { rule: { symbols: unknown[] }; dot: number }[] }[] }).table;
  return (table[parser.current]?.states ?? []).some((st) => (st.rule.symbols[st.dot] as Symbol | undefined)?.type === type);
}

function syntaxError(unexpected: string, span: Span, expect: string[]): CompileError {
  let msg = `syntax error, unexpected ${unexpected}`;
  if (expect.length > 0 && expect.length <= 4) msg += `, expecting ${expect.join(' or ')}`;
  return errorAt(span, msg);
}

function tokenSpan(t: Token): Span {
  return { file: t.file, line: t.line, col: t.col, endLine: t.endLine, endCol: t.endCol };
}

/** Where "end of file" is reported: just after the last token (or at 1:1 for an empty program). */
function eofSpan(tokens: Token[], file: string): Span {
  const last = tokens[tokens.length - 1];
  if (!last) return { file, line: 1, col: 1, endLine: 1, endCol: 2 };
  return { file, line: last.endLine, col: last.endCol, endLine: last.endLine, endCol: last.endCol + 1 };
}

function endPosition(text: string): { line: number; col: number } {
  let line = 1;
  let lastNl = -1;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastNl = i;
    }
  }
  return { line, col: text.length - lastNl };
}

/** The first line of an item's span, narrowed to its leading word for multi-line items. */
function headSpan(item: TopLevel, word: number): Span {
  const s = item.span;
  if (s.line === s.endLine) return s;
  return { file: s.file, line: s.line, col: s.col, endLine: s.line, endCol: s.col + word };
}

/**
 * Upstream's top-level order: an optional `#!`, then preprocessor lines, C
 * definitions, one `config` block and root imports, then probes, macros, map
 * declarations and functions. Items of the first kind after one of the second
 * are errors (with upstream's messages); the parser otherwise keeps items in
 * source order.
 */
function checkOrder(items: TopLevel[]): void {
  let main = false;
  let config = false;
  for (const item of items) {
    switch (item.kind) {
      case 'PreprocessorLine':
      case 'CDefinition':
        if (main) {
          const word = item.kind === 'CDefinition' ? item.keyword.length : item.text.split('\n')[0]!.length;
          throw errorAt(headSpan(item, word), 'C definitions must appear before probes and functions');
        }
        break;
      case 'ConfigBlock':
        if (main) throw errorAt(headSpan(item, 6), 'config must appear before probes and functions');
        if (config) throw errorAt(headSpan(item, 6), 'duplicate config block');
        config = true;
        break;
      case 'Import':
        if (main) throw errorAt(headSpan(item, 6), 'root imports must appear before probes and functions');
        break;
      default:
        main = true;
    }
  }
}

/** The result of a parse with the parser's internals exposed for tests. */
export interface ParseResult {
  program: Program;
  /** How many parses the grammar found (1 unless the grammar is ambiguous). */
  parses: number;
  tokens: number;
}

/** Parses and also reports how many derivations nearley found (tests assert exactly one). */
export function parseDetailed(text: string, file: string): ParseResult {
  const tokens = tokenize(text, file);
  const stream = new TokenStream(tokens);
  const parser = new nearley.Parser(compiledGrammar(), { lexer: stream as unknown as nearley.Lexer });
  // nearley's own message walks every expectation's derivation back to the
  // start, which grows with nesting (seconds for a few hundred open blocks);
  // bpfscript words the error itself, from the parse table (expected()).
  const quiet = parser as unknown as { reportError: () => string; reportLexerError: () => string };
  quiet.reportError = () => 'syntax error';
  quiet.reportLexerError = () => 'invalid token';
  try {
    parser.feed(text);
  } catch (e) {
    if (e instanceof CompileError) throw e;
    if (stream.pending) throw errorAt(stream.pending.span, stream.pending.message);
    const tok = (e as { token?: Token }).token;
    if (tok && tok.file !== undefined) {
      const expect = expected(parser);
      if (tok.type === 'rparen' && expectsType(parser, 'castclose')) {
        // `(type)` not followed by an operand: the operand is what is missing.
        const next = tokens[tokens.indexOf(tok) + 1];
        if (!next) throw syntaxError('end of file', eofSpan(tokens, file), []);
        throw syntaxError(describe(next), tokenSpan(next), []);
      }
      throw syntaxError(describe(tok), tokenSpan(tok), expect);
    }
    throw errorAt({ file, line: 1, col: 1, endLine: 1, endCol: 2 }, `syntax error: ${(e as Error).message}`);
  }
  const results = parser.results as ProgramBody[];
  if (results.length === 0) {
    throw syntaxError('end of file', eofSpan(tokens, file), expected(parser));
  }
  const end = endPosition(text);
  const program: Program = {
    kind: 'Program',
    span: { file, line: 1, col: 1, endLine: end.line, endCol: end.col },
    items: seqItems(results[0]!.items),
  };
  checkOrder(program.items);
  return { program, parses: results.length, tokens: tokens.length };
}

/**
 * Parses a bpftrace program. Throws CompileError (one located diagnostic) on
 * any lexical or syntax error, and never any other exception.
 */
export function parse(text: string, file: string): Program {
  try {
    return parseDetailed(text, file).program;
  } catch (e) {
    if (e instanceof CompileError) throw e;
    // Defensive: an internal failure must still surface as a diagnostic.
    throw errorAt({ file, line: 1, col: 1, endLine: 1, endCol: 2 }, `internal parser error: ${(e as Error).message}`);
  }
}
