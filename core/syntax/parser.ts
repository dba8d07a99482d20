// parse(): text → Program. Lexes with lexer.ts, parses with the nearley
// grammar (grammar.ne, compiled by `npm run grammar`), and turns every failure
// into a located CompileError with a bison-style message:
//   syntax error, unexpected X[, expecting A or B or C]
// (bison lists the expected tokens only when there are at most four).
import nearley from 'nearley';
import type { Span } from '../diagnostics/index.ts';
import { CompileError, errorAt } from '../diagnostics/index.ts';
import type { Program } from './ast.ts';
import type { ProgramBody } from './build.ts';
import grammar from './grammar.generated.ts';
import { TokenStream, tokenize, type Token } from './lexer.ts';

const compiled = nearley.Grammar.fromCompiled(grammar as unknown as nearley.CompiledRules);

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

interface Symbol {
  literal?: string;
  type?: string;
}

/** Terminals the parser could have accepted at the column before the failure, in a stable order. */
function expected(parser: nearley.Parser): string[] {
  const table = (parser as unknown as { table: { states: { rule: { symbols: unknown[] }; dot: number }[] }[] }).table;
  const column = table[parser.current];
  if (!column) return [];
  const seen = new Set<string>();
  for (const st of column.states) {
    const sym = st.rule.symbols[st.dot];
    if (!sym || typeof sym === 'string') continue;
    const s = sym as Symbol;
    if (s.literal !== undefined) seen.add(s.literal);
    else if (s.type !== undefined) seen.add(TYPE_NAMES[s.type] ?? s.type);
  }
  return [...seen].sort();
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
  const parser = new nearley.Parser(compiled, { lexer: stream as unknown as nearley.Lexer });
  try {
    parser.feed(text);
  } catch (e) {
    if (e instanceof CompileError) throw e;
    if (stream.pending) throw errorAt(stream.pending.span, stream.pending.message);
    const tok = (e as { token?: Token }).token;
    if (tok && tok.file !== undefined) {
      throw syntaxError(describe(tok), tokenSpan(tok), expected(parser));
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
    items: results[0]!.items,
  };
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
