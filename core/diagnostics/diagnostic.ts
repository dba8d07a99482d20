// Diagnostics in bpftrace's format: `file:line:col-col: ERROR: message`, the
// source line, then a `~` marker under the span (tabs count as 4 columns).

/** A source range. Lines and columns are 1-based; `endCol` is exclusive. */
export interface Span {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  /** Set on code a macro expansion produced: the call it was expanded from. */
  expandedFrom?: MacroExpansionSite;
  /** Set on an expression that is a macro call's value: the call (written `text`) it stands for, the outermost when macros nest. */
  macroValueOf?: { call: Span; text: string };
}

/** Where a macro was called; printed as context under errors in the macro's body. */
export interface MacroExpansionSite {
  macro: string;
  call: Span;
}

export type Severity = 'ERROR' | 'WARNING' | 'HINT';

export interface Diagnostic {
  severity: Severity;
  message: string;
  span?: Span;
}

/** Source texts by file name, so a diagnostic can quote its line. */
export type SourceTexts = ReadonlyMap<string, string>;

export function formatDiagnostic(d: Diagnostic, sources: SourceTexts): string {
  let out = formatOne(d, sources);
  // Code from a macro points at the macro body; each call it came through follows.
  for (let site = d.span?.expandedFrom; site; site = site.call.expandedFrom) {
    out += formatOne({ severity: d.severity, message: `in expansion of macro '${site.macro}'`, span: site.call }, sources);
  }
  return out;
}

/** Control characters (C0 but tab and newline, DEL, C1) and U+FFFD, the stand-in for bytes that are not UTF-8. */
const unprintable = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]/;

/** One character as the terminal gets it: tabs as 4 spaces, unprintable ones as `\xNN` (`?` for U+FFFD). */
function cell(ch: string): string {
  if (ch === '\t') return '    ';
  if (!unprintable.test(ch)) return ch;
  return ch === '\ufffd' ? '?' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** Text with its unprintable characters escaped (a message may quote the user's bytes). */
function printable(text: string): string {
  return unprintable.test(text) ? [...text].map((ch) => (ch === '\n' || ch === '\t' ? ch : cell(ch))).join('') : text;
}

/** Columns of a quoted line that is not text (a binary file given as the script) shown around the span. */
const EXCERPT_COLUMNS = 80;

/** The quoted line and its `~` marker; a line with unprintable characters is escaped and cut to an excerpt around the span. */
function quote(line: string, span: Span): [text: string, marker: string] {
  const cells: [text: string, mark: string][] = [];
  for (let x = 0; x < line.length; x++) {
    const text = cell(line[x]!);
    const mark = x >= span.endCol - 1 ? '' : x < span.col - 1 ? ' ' : '~';
    cells.push([text, mark.repeat(text.length)]);
  }
  const join = (from: number, to: number) => [cells.slice(from, to).map((c) => c[0]).join(''), cells.slice(from, to).map((c) => c[1]).join('')] as const;
  if (!unprintable.test(line)) return [...join(0, cells.length)];
  const from = Math.max(0, Math.min(span.col - 1, cells.length) - 8);
  let to = from;
  for (let width = 0; to < cells.length && width + cells[to]![0].length <= EXCERPT_COLUMNS; to++) width += cells[to]![0].length;
  const [text, marker] = join(from, to);
  const before = from > 0 ? '...' : '';
  return [`${before}${text}${to < cells.length ? '...' : ''}`, `${' '.repeat(before.length)}${marker}`.trimEnd()];
}

function formatOne(d: Diagnostic, sources: SourceTexts): string {
  const { span } = d;
  const message = printable(d.message);
  if (!span) return `${d.severity}: ${message}\n`;
  const prefix = span.file ? `${printable(span.file)}:` : '';
  if (span.line < span.endLine) {
    return `${prefix}${span.line}-${span.endLine}: ${d.severity}: ${message}\n`;
  }
  const out = `${prefix}${span.line}:${span.col}-${span.endCol}: ${d.severity}: ${message}\n`;
  const line = (sources.get(span.file) ?? '').split('\n')[span.line - 1];
  if (!line) return out;
  const [text, marker] = quote(line, span);
  return `${out}${text}\n${marker}\n`;
}

/** Thrown by any stage that cannot go on; carries every diagnostic so far. */
export class CompileError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[] | Diagnostic) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map((d) => d.message).join('; '));
    this.name = 'CompileError';
    this.diagnostics = list;
  }
}

/** Shorthand for the common case: one located error. */
export function errorAt(span: Span | undefined, message: string): CompileError {
  return new CompileError({ severity: 'ERROR', message, span });
}

/** Collects warnings (and errors that need not stop the stage at once). */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  error(span: Span | undefined, message: string): void {
    this.items.push({ severity: 'ERROR', message, span });
  }
  /** A warning; the same one again (one statement checked once per probe of a list) is kept once. */
  warning(span: Span | undefined, message: string): void {
    const same = (d: Diagnostic) => d.severity === 'WARNING' && d.message === message && sameSpan(d.span, span);
    if (!this.items.some(same)) this.items.push({ severity: 'WARNING', message, span });
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'ERROR');
  }
  /** Throws a CompileError holding every error collected so far. */
  throwIfErrors(): void {
    if (this.hasErrors) throw new CompileError(this.items.filter((d) => d.severity === 'ERROR'));
  }
}

function sameSpan(a: Span | undefined, b: Span | undefined): boolean {
  if (!a || !b) return a === b;
  return a.file === b.file && a.line === b.line && a.col === b.col && a.endLine === b.endLine && a.endCol === b.endCol;
}
