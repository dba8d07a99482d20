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

function formatOne(d: Diagnostic, sources: SourceTexts): string {
  const { span } = d;
  if (!span) return `${d.severity}: ${d.message}\n`;
  const prefix = span.file ? `${span.file}:` : '';
  if (span.line < span.endLine) {
    return `${prefix}${span.line}-${span.endLine}: ${d.severity}: ${d.message}\n`;
  }
  let out = `${prefix}${span.line}:${span.col}-${span.endCol}: ${d.severity}: ${d.message}\n`;
  const line = (sources.get(span.file) ?? '').split('\n')[span.line - 1];
  if (!line) return out;
  let text = '';
  let marker = '';
  for (let x = 0; x < line.length; x++) {
    const tab = line[x] === '\t';
    text += tab ? '    ' : line[x];
    if (x < span.endCol - 1) {
      const m = x < span.col - 1 ? ' ' : '~';
      marker += tab ? m.repeat(4) : m;
    }
  }
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
  warning(span: Span | undefined, message: string): void {
    this.items.push({ severity: 'WARNING', message, span });
  }
  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'ERROR');
  }
  /** Throws a CompileError holding every error collected so far. */
  throwIfErrors(): void {
    if (this.hasErrors) throw new CompileError(this.items.filter((d) => d.severity === 'ERROR'));
  }
}
